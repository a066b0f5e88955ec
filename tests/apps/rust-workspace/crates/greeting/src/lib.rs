//! The reply the server sends.

pub fn reply() -> &'static str {
    "hello from rust-workspace\n"
}
