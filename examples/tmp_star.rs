use groupgate::files::{FilePolicy, PolicyOptions};
fn main() {
    let n = 100_000;
    let mut rules =
        vec![r#"{"effect":"allow","actions":["visible","modify"],"patterns":"**"}"#.to_string()];
    for i in 1..n {
        let g = format!("*{}{}c{:06}", "a".repeat(976), "{a,b}".repeat(8), i);
        rules.push(format!(
            r#"{{"effect":"deny","actions":["visible","modify"],"patterns":"{g}"}}"#
        ));
    }
    let text = format!(
        r#"[{{"id":"g","permissions":["documents"],"filePermissions":[{}]}}]"#,
        rules.join(",")
    );
    let t = std::time::Instant::now();
    let p = FilePolicy::from_json_text(&text, PolicyOptions::default()).unwrap();
    eprintln!("{:?} {:?}", t.elapsed(), p.len());
}
