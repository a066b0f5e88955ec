//! An operator's command-line tool in the same workspace: not what the image
//! runs (workspace.default-members names the server).
fn main() {
    println!("admin: {}", greeting::reply());
}
