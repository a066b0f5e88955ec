// Templates and presets are embedded with include_dir!, which cannot tell cargo
// about files added later: without these lines a new template would only be
// picked up after an unrelated source change.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=presets");
}
