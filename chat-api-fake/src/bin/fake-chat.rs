//! `fake-chat`: the fake Chat server as a process, for tools in any language.
fn main() {}
