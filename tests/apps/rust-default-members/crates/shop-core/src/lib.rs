//! What the shop says, shared by the server and the CLI.

pub fn greeting() -> &'static str {
    "hello from rust-default-members"
}
