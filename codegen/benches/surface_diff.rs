//! Benchmark: the diff of two full Chat documents (20260120 -> 20260405).
//!
//! Run with `cargo bench -p discovery --bench surface_diff` (the documents are committed
//! in `testdata/discovery/chat/`)
//! (release profile). Prints the median, minimum and maximum wall time of each stage over
//! `BENCH_RUNS` runs (default 31), and each one's ratio to a baseline measured in the same
//! run: parsing the two files into untyped `serde_json::Value`s, the least any diff of two
//! documents must do. Target: the whole pipeline (load + model + surface + diff + text
//! report) under 50 ms.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use codegen::Model;
use discovery::Document;
use discovery::surface::View;
use discovery::surface::render::{self, Options};

fn main() {
    let dir = discovery::testing::real_documents_dir();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(31);
    let old_path = dir.join("chat").join("chat.v1.20260120.json");
    let new_path = dir.join("chat").join("chat.v1.20260405.json");
    let read = |p: &PathBuf| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let (old_bytes, new_bytes) = (read(&old_path), read(&new_path));

    let baseline = measure(runs, || {
        let a: serde_json::Value = serde_json::from_slice(&old_bytes).expect("json");
        let b: serde_json::Value = serde_json::from_slice(&new_bytes).expect("json");
        black_box((a, b));
    });
    let load = measure(runs, || {
        black_box((
            Document::from_slice(&old_bytes, "old").expect("old document"),
            Document::from_slice(&new_bytes, "new").expect("new document"),
        ));
    });
    let (old_doc, new_doc) = (
        Document::from_slice(&old_bytes, "old").expect("old document"),
        Document::from_slice(&new_bytes, "new").expect("new document"),
    );
    let model = measure(runs, || {
        black_box((
            Model::build(&old_doc, None).expect("old model"),
            Model::build(&new_doc, None).expect("new model"),
        ));
    });
    let (old_model, new_model) = (
        Model::build(&old_doc, None).expect("old model"),
        Model::build(&new_doc, None).expect("new model"),
    );
    let surface = measure(runs, || {
        black_box((
            codegen::surface(&old_model, View::Stable),
            codegen::surface(&new_model, View::Stable),
        ));
    });
    let (old_surface, new_surface) = (
        codegen::surface(&old_model, View::Stable),
        codegen::surface(&new_model, View::Stable),
    );
    let diff = measure(runs, || {
        black_box(old_surface.diff(&new_surface));
    });
    let diff_render = measure(runs, || {
        let d = old_surface.diff(&new_surface);
        black_box(render::text(&d, Options::default()));
        black_box(render::markdown(&d, Options::default()));
    });
    let full = measure(runs, || {
        let old = Document::from_file(&old_path).expect("old document");
        let new = Document::from_file(&new_path).expect("new document");
        let old = codegen::surface(&Model::build(&old, None).expect("model"), View::Stable);
        let new = codegen::surface(&Model::build(&new, None).expect("model"), View::Stable);
        black_box(render::text(&old.diff(&new), Options::default()));
    });

    println!(
        "surface diff, chat.v1.20260120.json -> chat.v1.20260405.json ({} + {} bytes, {} + {} surface items), {runs} runs",
        old_bytes.len(),
        new_bytes.len(),
        old_surface.items.len(),
        new_surface.items.len()
    );
    println!(
        "{:<44} {:>10} {:>10} {:>10} {:>8}",
        "stage", "median", "min", "max", "x base"
    );
    let base = baseline.median;
    for (name, stats) in [
        ("baseline: serde_json::Value parse of both", &baseline),
        ("load (parse + validate both)", &load),
        ("model (Model::build both)", &model),
        ("surface (Surface::from_model both)", &surface),
        ("diff alone", &diff),
        ("diff + text + markdown reports", &diff_render),
        ("full: files -> text report", &full),
    ] {
        println!(
            "{name:<44} {:>10} {:>10} {:>10} {:>8.2}",
            ms(stats.median),
            ms(stats.min),
            ms(stats.max),
            stats.median.as_secs_f64() / base.as_secs_f64()
        );
    }
    let target = Duration::from_millis(50);
    println!(
        "full pipeline median {} vs target {}: {}",
        ms(full.median),
        ms(target),
        if full.median < target {
            "met"
        } else {
            "MISSED"
        }
    );
}

struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
}

fn measure(runs: usize, mut f: impl FnMut()) -> Stats {
    f(); // warm up caches and the allocator
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    Stats {
        median: times[times.len() / 2],
        min: times[0],
        max: times[times.len() - 1],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
