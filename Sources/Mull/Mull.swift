// The Mull module.
