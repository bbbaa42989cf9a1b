// The MullLanguage module.
