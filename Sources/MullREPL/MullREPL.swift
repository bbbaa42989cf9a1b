// The MullREPL module.
