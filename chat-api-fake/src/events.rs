//! Interaction events sent to the app under test, signed as Chat signs them.
