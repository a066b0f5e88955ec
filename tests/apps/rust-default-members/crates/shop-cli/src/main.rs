//! An admin command line: a binary of the workspace that is not the server.

fn main() {
    println!("{}", shop_core::greeting());
}
