//! Native timing of checks over many distinct globs that all match a path
//! (README "Security", `check`; tests/narrowing.rs):
//! `cargo run --release --example many_match -- [N] [SHAPE] [PATH]`: N globs
//! (default 500,000) of SHAPE (default `{**,N}`, `N` replaced by each index),
//! 2,000 a rule, allows and denies in turn, in one group; prints the build
//! time and five checks of PATH (default `src/a/b.js`).
use groupgate::files::{Action, FilePolicy, PolicyOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(500_000, |a| a.parse().expect("N"));
    let shape = args.next().unwrap_or_else(|| "{**,N}".into());
    let path = args.next().unwrap_or_else(|| "src/a/b.js".into());
    let globs: Vec<String> = (0..n).map(|i| shape.replace('N', &i.to_string())).collect();
    let rules: Vec<serde_json::Value> = globs
        .chunks(2000)
        .enumerate()
        .map(|(j, c)| {
            let effect = if j % 2 == 0 { "allow" } else { "deny" };
            serde_json::json!({"effect": effect, "actions": ["visible", "modify"], "patterns": c.join(",")})
        })
        .collect();
    let groups = serde_json::json!([{"id": "g", "permissions": ["documents:full"], "filePermissions": rules}]);
    let t = std::time::Instant::now();
    let p =
        FilePolicy::from_json_text(&groups.to_string(), PolicyOptions::default()).expect("compile");
    println!("build {:?}", t.elapsed());
    let m = p.member(&["g"]);
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let r = p.check_member(&m, &path, Action::Modify);
        println!("check {r:?} {:?}", t.elapsed());
    }
}
