//! `cargo xtask bench-build`: how long a user waits for a clean debug build of a small
//! binary that posts one message to a Chat space, on chat-api and on its peers, built in
//! the same run, the same way (issue 11).
//!
//! Four scratch binary crates are written under `target/bench-build/<name>/`, each its
//! own workspace: the floor (a bare `reqwest` + `tokio` + `serde_json` client), one on
//! `google-chat1`, one on `chat-api` (this workspace's, by path) and one on
//! `google-chat-v1`. They are only built, never run. All four are `cargo fetch`ed first,
//! so downloads are not timed; then each round builds every binary once, in turn, from an
//! empty target dir (debug profile, `--offline`), timing the wall clock of `cargo build`.
//! "CPU" is the user + system time of cargo and everything it ran (Linux: read from
//! `/proc/self/stat`, the waited-for children's times): on a noisy machine it varies less
//! than the wall clock, and on 2 cores it is what the build is bound by.
//! chat-api and google-api-runtime are path dependencies of their binary, which cargo
//! would build incrementally (it does that for path dependencies, never for registry
//! ones); the binary's manifest turns that off for them, so they are built the way a
//! user who depends on them from crates.io builds them.
//! "units" are cargo's compilation units, as `cargo build --timings` counts them ("Total
//! units"): the `compiler-artifact` and `build-script-executed` messages of
//! `--message-format json-render-diagnostics`, so a package with a build script is three
//! units (compile the script, run it, compile the crate). "packages" is the number of
//! `Compiling` lines cargo prints on stderr: one per package, the binary included.
//!
//! Then, "crate alone": for each of the three API crates, per round, `cargo clean -p
//! <crate>` and `cargo build` again in that binary's target dir, which rebuilds the crate
//! and the binary on top of it (everything else stays built).
//!
//! It needs the registry, so no test runs it; it is not part of CI. The output is a
//! Markdown table, for the README's performance section.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::Context as _;

use crate::regen;

/// Arguments of `cargo xtask bench-build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Clean builds of each binary; each round builds every binary once, in turn.
    #[arg(long, default_value_t = 2)]
    pub rounds: usize,
    /// Only these binaries: floor, google-chat1, chat-api, google-chat-v1 [default: all].
    #[arg(long, value_delimiter = ',', value_name = "NAME[,NAME]")]
    pub only: Vec<String>,
    /// Keep the scratch crates' target dirs afterwards (by default they are removed; they
    /// take a few GB). The scratch sources are always kept.
    #[arg(long)]
    pub keep: bool,
}

/// The name of the floor, what every build is compared with.
const FLOOR: &str = "floor";
/// The name of the older generated client, the peer to beat.
const GOOGLE_CHAT1: &str = "google-chat1";

/// How a binary's API crate is sized for the "crate alone" figure.
#[derive(Debug, Clone, Copy)]
enum Surface {
    /// Counted by hand, once.
    Fixed { methods: usize, schemas: usize },
    /// This workspace's chat-api: read from `generated/surface-stable.txt`.
    ChatApi,
    /// google-chat-v1: methods fixed, schemas counted in its downloaded `src/model.rs`.
    GoogleChatV1 { methods: usize },
}

/// One scratch binary.
#[derive(Debug)]
struct Binary {
    /// Its name for `--only`, and its directory under `target/bench-build/`.
    name: &'static str,
    /// The first column of the table.
    label: &'static str,
    /// `[dependencies]` of its manifest; `{chat_api}` stands for the path of chat-api.
    dependencies: &'static str,
    /// More of its manifest, after `[dependencies]` (profile settings).
    manifest_tail: &'static str,
    /// Its `src/main.rs`.
    main_rs: &'static str,
    /// The API crate timed alone, and its size.
    alone: Option<(&'static str, Surface)>,
}

/// The four binaries, in the order they are built and listed.
const BINARIES: &[Binary] = &[
    Binary {
        name: FLOOR,
        label: "a bare `reqwest` (rustls) + `tokio` + `serde_json` client doing the same POST (the floor)",
        // reqwest 0.12 as chat-api uses it; without default features there is no HTTP/2
        // and no native-tls.
        dependencies: r#"reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "json"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
"#,
        manifest_tail: "",
        main_rs: r#"//! The floor: the same POST with no API crate. It takes a bearer token from
//! `CHAT_ACCESS_TOKEN` instead of signing a JWT with the key file.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let _key_file = std::env::args().nth(1).ok_or("usage: bench-floor KEY_FILE")?;
    let token = std::env::var("CHAT_ACCESS_TOKEN")?;
    let message: serde_json::Value = reqwest::Client::new()
        .post("https://chat.googleapis.com/v1/spaces/AAAA/messages")
        .bearer_auth(token)
        .json(&serde_json::json!({ "text": "hi" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("{}", message["name"]);
    Ok(())
}
"#,
        alone: None,
    },
    Binary {
        name: GOOGLE_CHAT1,
        label: "`google-chat1` 2.0.8",
        // 2.0.8 re-exports neither its authenticator nor its HTTP client types: these are
        // the versions it requires itself, so they add no package.
        dependencies: r#"google-chat1 = "=2.0.8"
hyper = "0.14"
hyper-rustls = "0.22"
tokio = { version = "1", features = ["macros", "rt"] }
yup-oauth2 = "5"
"#,
        manifest_tail: "",
        main_rs: r#"//! One message with google-chat1 2.0.8 and a yup-oauth2 service account.

use google_chat1::api::Message;
use google_chat1::HangoutsChat;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key_file = std::env::args().nth(1).ok_or("usage: bench-google-chat1 KEY_FILE")?;
    let key = yup_oauth2::read_service_account_key(key_file).await?;
    let auth = yup_oauth2::ServiceAccountAuthenticator::builder(key).build().await?;
    let client = hyper::Client::builder().build(hyper_rustls::HttpsConnector::with_native_roots());
    let hub = HangoutsChat::new(client, auth);
    let message = Message {
        text: Some("hi".to_owned()),
        ..Default::default()
    };
    let (_, sent) = hub.spaces().messages_create(message, "spaces/AAAA").doit().await?;
    println!("{:?}", sent.name);
    Ok(())
}
"#,
        // The 17 methods and 33 schemas of its Discovery document (revision 20210324), as
        // counted in issue 11 (its api.rs has 17 `doit` methods).
        alone: Some((
            "google-chat1",
            Surface::Fixed {
                methods: 17,
                schemas: 33,
            },
        )),
    },
    Binary {
        name: "chat-api",
        label: "`chat-api` (this workspace's crate, by path)",
        dependencies: r#"chat-api = { path = "{chat_api}" }
tokio = { version = "1", features = ["macros", "rt"] }
"#,
        // Built as from crates.io: cargo builds path dependencies incrementally, which
        // costs a clean build time that a registry dependency does not pay.
        manifest_tail: r#"
[profile.dev.package.chat-api]
incremental = false

[profile.dev.package.google-api-runtime]
incremental = false
"#,
        main_rs: r#"//! One message with this workspace's chat-api and a service account key file.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key_file = std::env::args().nth(1).ok_or("usage: bench-chat-api KEY_FILE")?;
    let client = chat_api::Client::new(chat_api::Credentials::service_account_file(key_file)?)?;
    let message = client
        .spaces()
        .messages()
        .create("spaces/AAAA", chat_api::models::Message::new().set_text("hi"))
        .send()
        .await?;
    println!("{message:?}");
    Ok(())
}
"#,
        alone: Some(("chat-api", Surface::ChatApi)),
    },
    Binary {
        name: "google-chat-v1",
        label: "`google-chat-v1` 1.4.0 (googleapis/google-cloud-rust generated crate)",
        // google-cloud-auth builds the service account credentials; google-chat-v1 already
        // depends on it (through google-cloud-gax-internal), and its default features
        // enable the rustls provider there, so this adds no package.
        dependencies: r#"google-chat-v1 = "=1.4.0"
google-cloud-auth = { version = "1", default-features = false }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
"#,
        manifest_tail: "",
        main_rs: r#"//! One message with google-chat-v1 1.4.0 and a service account key file.

use google_chat_v1::client::ChatService;
use google_chat_v1::model::Message;
use google_cloud_auth::credentials::service_account::{AccessSpecifier, Builder};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key_file = std::env::args().nth(1).ok_or("usage: bench-google-chat-v1 KEY_FILE")?;
    let key: serde_json::Value = serde_json::from_slice(&std::fs::read(key_file)?)?;
    let credentials = Builder::new(key)
        .with_access_specifier(AccessSpecifier::from_scopes([
            "https://www.googleapis.com/auth/chat.bot",
        ]))
        .build()?;
    let client = ChatService::builder()
        .with_credentials(credentials)
        .build()
        .await?;
    let message = client
        .create_message()
        .set_parent("spaces/AAAA")
        .set_message(Message::new().set_text("hi"))
        .send()
        .await?;
    println!("{message:?}");
    Ok(())
}
"#,
        // The 52 methods of `client::ChatService` (its `pub fn`s but `builder`).
        alone: Some(("google-chat-v1", Surface::GoogleChatV1 { methods: 52 })),
    },
];

/// The binaries `--only` selects, in table order.
fn select(only: &[String]) -> anyhow::Result<Vec<&'static Binary>> {
    if only.is_empty() {
        return Ok(BINARIES.iter().collect());
    }
    let names: Vec<&str> = BINARIES.iter().map(|b| b.name).collect();
    for name in only {
        anyhow::ensure!(
            names.contains(&name.as_str()),
            "--only: no binary named {name:?} (the binaries: {})",
            names.join(", ")
        );
    }
    Ok(BINARIES
        .iter()
        .filter(|b| only.iter().any(|n| n == b.name))
        .collect())
}

/// Runs `cargo xtask bench-build`.
pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    anyhow::ensure!(args.rounds > 0, "--rounds must be at least 1");
    let binaries = select(&args.only)?;
    let root = regen::workspace_root();
    let base = root.join("target").join("bench-build");
    let dirs: Vec<PathBuf> = binaries.iter().map(|b| base.join(b.name)).collect();
    for (binary, dir) in binaries.iter().zip(&dirs) {
        write_crate(binary, dir, &root.join("chat-api"))?;
    }

    eprintln!(
        "fetching the dependencies of {} binaries...",
        binaries.len()
    );
    for dir in &dirs {
        cargo(dir, &["fetch"])?;
    }

    let mut rows: Vec<Row> = binaries
        .iter()
        .map(|b| Row {
            name: b.name,
            label: b.label.to_owned(),
            seconds: Vec::new(),
            cpu: Vec::new(),
            packages: Vec::new(),
            units: Vec::new(),
        })
        .collect();
    for round in 1..=args.rounds {
        for (row, dir) in rows.iter_mut().zip(&dirs) {
            let target = dir.join("target");
            if target.exists() {
                std::fs::remove_dir_all(&target)
                    .with_context(|| format!("cannot remove {}", target.display()))?;
            }
            eprint!("round {round}/{}: {} ... ", args.rounds, row.name);
            let build = cargo(
                dir,
                &[
                    "build",
                    "--offline",
                    "--message-format",
                    "json-render-diagnostics",
                ],
            )?;
            let packages = count_packages(&build.stderr);
            let units = count_units(&build.stdout);
            match build.cpu {
                Some(cpu) => eprintln!(
                    "{:.1} s ({cpu:.1} s CPU), {units} units, {packages} packages",
                    build.seconds
                ),
                None => eprintln!("{:.1} s, {units} units, {packages} packages", build.seconds),
            }
            row.seconds.push(build.seconds);
            row.cpu.push(build.cpu);
            row.packages.push(packages);
            row.units.push(units);
        }
    }

    let mut alone_rows = Vec::new();
    for (binary, dir) in binaries.iter().zip(&dirs) {
        if let Some((package, surface)) = binary.alone {
            let (methods, schemas) = surface_size(surface, &root, dir)?;
            alone_rows.push(AloneRow {
                package,
                seconds: Vec::new(),
                methods,
                schemas,
            });
        }
    }
    for round in 1..=args.rounds {
        let mut alone = alone_rows.iter_mut();
        for (binary, dir) in binaries.iter().zip(&dirs) {
            if binary.alone.is_none() {
                continue;
            }
            let row = alone.next().context("a crate-alone row per API crate")?;
            eprint!("round {round}/{}: {} alone ... ", args.rounds, row.package);
            cargo(dir, &["clean", "--offline", "-p", row.package])?;
            let build = cargo(dir, &["build", "--offline"])?;
            eprintln!("{:.1} s", build.seconds);
            row.seconds.push(build.seconds);
        }
    }

    print!("{}", render(&rows, &alone_rows, args.rounds));
    println!("\n{}", footnote());

    if !args.keep {
        for dir in &dirs {
            let target = dir.join("target");
            if target.exists() {
                std::fs::remove_dir_all(&target)
                    .with_context(|| format!("cannot remove {}", target.display()))?;
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Writes `binary`'s manifest and `src/main.rs` into `dir`. A manifest that changed
/// drops the crate's `Cargo.lock`, so a new dependency list is resolved afresh; an
/// unchanged one keeps it, so runs compare the same graph.
fn write_crate(binary: &Binary, dir: &Path, chat_api: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("src"))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let dependencies = binary
        .dependencies
        .replace("{chat_api}", &toml_escape(&chat_api.display().to_string()));
    let manifest = format!(
        "# Written by `cargo xtask bench-build` (xtask/src/bench_build.rs); rewritten on every run.\n\
         [package]\nname = \"bench-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{dependencies}{tail}\n\
         # Not a member of the chat-api workspace around it.\n[workspace]\n",
        binary.name,
        tail = binary.manifest_tail,
    );
    let manifest_path = dir.join("Cargo.toml");
    if std::fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
        let lock = dir.join("Cargo.lock");
        if lock.exists() {
            std::fs::remove_file(&lock)
                .with_context(|| format!("cannot remove {}", lock.display()))?;
        }
        std::fs::write(&manifest_path, manifest)
            .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    }
    let main_path = dir.join("src").join("main.rs");
    std::fs::write(&main_path, binary.main_rs)
        .with_context(|| format!("cannot write {}", main_path.display()))?;
    Ok(())
}

/// `s` escaped for a TOML basic string.
fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// What a successful cargo run left.
struct CargoRun {
    seconds: f64,
    /// User + system seconds of cargo and its children, where the OS tells.
    cpu: Option<f64>,
    stdout: String,
    stderr: String,
}

/// Runs cargo in `dir` with `dir/target` as target dir, and times it. A failure shows
/// the end of cargo's stderr.
fn cargo(dir: &Path, args: &[&str]) -> anyhow::Result<CargoRun> {
    let cpu_before = children_cpu_seconds();
    let start = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    let seconds = start.elapsed().as_secs_f64();
    let cpu = children_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    anyhow::ensure!(
        output.status.success(),
        "`cargo {}` in {} failed ({}); the end of its stderr:\n{}",
        args.join(" "),
        dir.display(),
        output.status,
        tail(&stderr, 40)
    );
    Ok(CargoRun {
        seconds,
        cpu,
        stdout,
        stderr,
    })
}

/// The user + system time, in seconds, of this process's children that have been waited
/// for: fields 16 and 17 (`cutime`, `cstime`) of `/proc/self/stat`. `None` off Linux.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    cpu_of_stat(&stat, clock_ticks())
}

/// `cutime + cstime` of a `/proc/<pid>/stat` line, in seconds.
fn cpu_of_stat(stat: &str, ticks_per_second: f64) -> Option<f64> {
    // The command name (field 2) is in parentheses and may hold spaces; field 3 follows.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<f64>().ok();
    Some((ticks(16)? + ticks(17)?) / ticks_per_second)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100, Linux's value, if that fails).
fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .filter(|t: &f64| *t > 0.0)
            .unwrap_or(100.0)
    })
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The packages a `cargo build` compiled: its `Compiling` status lines.
fn count_packages(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|line| line.trim_start().starts_with("Compiling "))
        .count()
}

/// The compilation units a clean `cargo build --message-format json...` ran, the way
/// `--timings` counts them: its `compiler-artifact` messages that were not fresh (rustc
/// runs, build scripts' included) and its `build-script-executed` messages (build script
/// runs; these have no `fresh` field, so on a partial rebuild the fresh ones count too).
fn count_units(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| {
            (m["reason"] == "compiler-artifact" && m["fresh"] == false)
                || m["reason"] == "build-script-executed"
        })
        .count()
}

/// Methods and schemas of an API crate.
fn surface_size(surface: Surface, root: &Path, dir: &Path) -> anyhow::Result<(usize, usize)> {
    match surface {
        Surface::Fixed { methods, schemas } => Ok((methods, schemas)),
        Surface::ChatApi => {
            // The default build is the stable view (`developer-preview` is off).
            let path = root.join("generated").join("surface-stable.txt");
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let (methods, schemas) = chat_api_size(&text);
            anyhow::ensure!(
                methods > 0 && schemas > 0,
                "no `method` or top-level `type` lines in {}",
                path.display()
            );
            Ok((methods, schemas))
        }
        Surface::GoogleChatV1 { methods } => {
            let src = package_src(dir, "google-chat-v1")?;
            let path = src.join("model.rs");
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Ok((methods, google_chat_v1_schemas(&text)))
        }
    }
}

/// Methods and schemas in a surface listing (`generated/surface-*.txt`): its `method`
/// lines, and its `type` lines of top-level schemas (`type Message ...`; the enums of
/// fields, `type Message.properties.x ...`, are not schemas of their own).
fn chat_api_size(surface: &str) -> (usize, usize) {
    let mut methods = 0;
    let mut schemas = 0;
    for line in surface.lines() {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("method"), Some(_)) => methods += 1,
            (Some("type"), Some(id)) if !id.contains('.') => schemas += 1,
            _ => {}
        }
    }
    (methods, schemas)
}

/// The messages in google-chat-v1's `model.rs`: its `pub struct`s but the
/// `UnknownValue` wrapper every enum carries.
fn google_chat_v1_schemas(model_rs: &str) -> usize {
    model_rs
        .lines()
        .map(str::trim_start)
        .filter(|line| {
            line.starts_with("pub struct ") && !line.starts_with("pub struct UnknownValue")
        })
        .count()
}

/// The `src` directory of a dependency of the crate in `dir`, from `cargo metadata`.
fn package_src(dir: &Path, package: &str) -> anyhow::Result<PathBuf> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .stdin(Stdio::null())
        .output()
        .context("cannot run cargo metadata")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo metadata in {} failed:\n{}",
        dir.display(),
        tail(&String::from_utf8_lossy(&output.stderr), 40)
    );
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let manifest = meta["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == package))
        .and_then(|p| p["manifest_path"].as_str())
        .with_context(|| format!("{package} not in the cargo metadata of {}", dir.display()))?;
    Ok(Path::new(manifest).with_file_name("src"))
}

/// One binary's whole-graph builds.
#[derive(Debug, Clone)]
struct Row {
    name: &'static str,
    label: String,
    seconds: Vec<f64>,
    /// CPU seconds per round, where measured.
    cpu: Vec<Option<f64>>,
    units: Vec<usize>,
    packages: Vec<usize>,
}

/// One API crate's rebuilds alone.
#[derive(Debug, Clone)]
struct AloneRow {
    package: &'static str,
    seconds: Vec<f64>,
    methods: usize,
    schemas: usize,
}

/// The mean CPU time, if every round has one.
fn mean_cpu(samples: &[Option<f64>]) -> Option<f64> {
    let all: Option<Vec<f64>> = samples.iter().copied().collect();
    all.filter(|v| !v.is_empty()).map(|v| mean(&v))
}

fn mean(samples: &[f64]) -> f64 {
    samples.iter().sum::<f64>() / samples.len().max(1) as f64
}

/// `value / of` to two decimals, or `—` without a baseline.
fn ratio(value: f64, of: Option<f64>) -> String {
    match of {
        Some(of) if of > 0.0 => format!("{:.2}", value / of),
        _ => "—".to_owned(),
    }
}

/// A count that should be the same every round: once if it is, else each round's.
fn per_round(counts: &[usize]) -> String {
    let mut distinct = counts.to_vec();
    distinct.dedup();
    if distinct.len() == 1 {
        distinct[0].to_string()
    } else {
        counts
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The two tables, whole graph and crate alone, as Markdown with aligned columns.
fn render(rows: &[Row], alone: &[AloneRow], rounds: usize) -> String {
    let floor = rows
        .iter()
        .find(|r| r.name == FLOOR)
        .map(|r| mean(&r.seconds));
    let chat1 = rows
        .iter()
        .find(|r| r.name == GOOGLE_CHAT1)
        .map(|r| mean(&r.seconds));
    let floor_cpu = rows
        .iter()
        .find(|r| r.name == FLOOR)
        .and_then(|r| mean_cpu(&r.cpu));
    let round_headers = (1..=rounds).map(|r| format!("round {r}"));

    let mut header: Vec<String> = vec!["binary using".to_owned()];
    header.extend(round_headers.clone());
    header.extend(
        [
            "mean",
            "units",
            "packages",
            "x floor",
            "x google-chat1",
            "CPU",
            "CPU x floor",
        ]
        .map(str::to_owned),
    );
    let mut body = Vec::new();
    for row in rows {
        let m = mean(&row.seconds);
        let mut cells = vec![row.label.clone()];
        cells.extend(row.seconds.iter().map(|s| format!("{s:.1} s")));
        cells.push(format!("{m:.1} s"));
        cells.push(per_round(&row.units));
        cells.push(per_round(&row.packages));
        cells.push(ratio(m, floor));
        cells.push(ratio(m, chat1));
        match mean_cpu(&row.cpu) {
            Some(cpu) => {
                cells.push(format!("{cpu:.1} s"));
                cells.push(ratio(cpu, floor_cpu));
            }
            None => cells.extend(["—".to_owned(), "—".to_owned()]),
        }
        body.push(cells);
    }
    let mut out = markdown_table(&header, &body);

    if !alone.is_empty() {
        let mut header: Vec<String> =
            vec!["crate alone (`cargo clean -p` + `cargo build`)".to_owned()];
        header.extend(round_headers);
        header.extend(["mean", "methods", "schemas", "ms per method+schema"].map(str::to_owned));
        let body: Vec<Vec<String>> = alone
            .iter()
            .map(|row| {
                let m = mean(&row.seconds);
                let mut cells = vec![format!("`{}`", row.package)];
                cells.extend(row.seconds.iter().map(|s| format!("{s:.1} s")));
                cells.push(format!("{m:.1} s"));
                cells.push(row.methods.to_string());
                cells.push(row.schemas.to_string());
                cells.push(format!(
                    "{:.1}",
                    m * 1000.0 / (row.methods + row.schemas).max(1) as f64
                ));
                cells
            })
            .collect();
        out.push('\n');
        out.push_str(&markdown_table(&header, &body));
    }
    out
}

/// A Markdown table, every column padded to its widest cell; the first column is left
/// aligned, the others right aligned.
fn markdown_table(header: &[String], body: &[Vec<String>]) -> String {
    let width = |i: usize| {
        std::iter::once(header)
            .chain(body.iter().map(Vec::as_slice))
            .filter_map(|row| row.get(i))
            .map(|cell| cell.chars().count())
            .max()
            .unwrap_or(0)
            .max(3)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[String]| {
        let mut s = String::from("|");
        for (i, w) in widths.iter().enumerate() {
            let cell = cells.get(i).map(String::as_str).unwrap_or("");
            let pad = w - cell.chars().count();
            if i == 0 {
                let _ = write!(s, " {cell}{} |", " ".repeat(pad));
            } else {
                let _ = write!(s, " {}{cell} |", " ".repeat(pad));
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(header);
    out.push('|');
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            let _ = write!(out, "{}|", "-".repeat(w + 2));
        } else {
            let _ = write!(out, "{}:|", "-".repeat(w + 1));
        }
    }
    out.push('\n');
    for row in body {
        out.push_str(&line(row));
    }
    out
}

/// How the figures were taken, and on what.
fn footnote() -> String {
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc (version unknown)".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "Clean debug builds (`cargo build`, fresh target dir each, rounds alternating between \
         the binaries, downloads fetched beforehand), wall clock; CPU = user + system time of \
         the build; chat-api and google-api-runtime built non-incrementally, as registry \
         dependencies are; units = compilation units \
         as `--timings` counts them (rustc and build script runs), packages = `Compiling` \
         lines. {rustc}, {cores} cores. `cargo xtask bench-build`."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_are_compiling_lines() {
        let stderr = "\
   Compiling proc-macro2 v1.0.106
   Compiling unicode-ident v1.0.22
warning: unused variable: `x`
  --> src/main.rs:2:9
   Compiling chat-api v0.1.0 (/work/chat-api)
   Compiling bench-chat-api v0.0.0 (/work/target/bench-build/chat-api)
    Finished `dev` profile [unoptimized + debuginfo] target(s) in 51.30s
";
        assert_eq!(count_packages(stderr), 4);
        assert_eq!(count_packages("    Finished `dev` profile\n"), 0);
    }

    #[test]
    fn units_are_rustc_and_build_script_runs() {
        let stdout = r#"{"reason":"compiler-artifact","package_id":"a","target":{"kind":["custom-build"]},"fresh":false}
{"reason":"build-script-executed","package_id":"a"}
{"reason":"compiler-artifact","package_id":"a","target":{"kind":["lib"]},"fresh":false}
{"reason":"compiler-artifact","package_id":"b","target":{"kind":["lib"]},"fresh":true}
{"reason":"compiler-message","package_id":"c","message":{}}
not json
{"reason":"compiler-artifact","package_id":"d","target":{"kind":["bin"]},"fresh":false}
{"reason":"build-finished","success":true}
"#;
        assert_eq!(count_units(stdout), 4);
        assert_eq!(count_units(""), 0);
    }

    #[test]
    fn chat_api_size_counts_methods_and_top_level_schemas() {
        let surface = "\
api chat:v1  root-url=https://chat.googleapis.com/ batch-path=batch
scope https://www.googleapis.com/auth/chat.bot
resource spaces rust=spaces() handle=SpacesResource
method spaces.get id=chat.spaces.get rust=get
method spaces.messages.create id=chat.spaces.messages.create rust=create
param spaces.get.name location=path
type Message rust=Message shape=struct
field Message.text rust=text type=Option<String> wire=string
type Message.properties.formattedText rust=MessageFormattedText shape=enum
enum-value Message.properties.formattedText.A rust=A
type Space rust=Space shape=struct
";
        assert_eq!(chat_api_size(surface), (2, 2));
    }

    #[test]
    fn google_chat_v1_schemas_skip_unknown_value() {
        let model = "\
pub struct Message {
    pub name: String,
}
pub mod message {
    pub struct Card {
    }
    pub mod card {
        pub struct UnknownValue(pub(crate) wkt::internal::UnknownEnumValue);
    }
}
pub(crate) struct Private;
";
        assert_eq!(google_chat_v1_schemas(model), 2);
    }

    #[test]
    fn select_keeps_table_order_and_rejects_unknown_names() {
        let names = |only: &[&str]| {
            let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
            select(&only).map(|b| b.iter().map(|b| b.name).collect::<Vec<_>>())
        };
        assert_eq!(
            names(&[]).unwrap(),
            ["floor", "google-chat1", "chat-api", "google-chat-v1"]
        );
        assert_eq!(
            names(&["chat-api", "floor"]).unwrap(),
            ["floor", "chat-api"]
        );
        let err = names(&["chat1"]).unwrap_err().to_string();
        assert!(
            err.contains("\"chat1\"") && err.contains("google-chat1"),
            "{err}"
        );
    }

    #[test]
    fn render_gives_means_units_and_ratios() {
        let row = |name, label: &str, seconds: &[f64], units: &[usize]| Row {
            cpu: seconds.iter().map(|s| Some(s * 2.0)).collect(),
            name,
            label: label.to_owned(),
            seconds: seconds.to_vec(),
            units: units.to_vec(),
            packages: units.iter().map(|u| u - 25).collect(),
        };
        let rows = [
            row(FLOOR, "floor", &[30.0, 28.0], &[117, 117]),
            row(GOOGLE_CHAT1, "g1", &[39.0, 39.0], &[134, 134]),
            row("chat-api", "ours", &[55.0, 61.0], &[145, 146]),
        ];
        let alone = [AloneRow {
            package: "chat-api",
            seconds: vec![6.0, 7.0],
            methods: 45,
            schemas: 170,
        }];
        let out = render(&rows, &alone, 2);
        let lines: Vec<&str> = out.lines().collect();
        // Every column as wide as its widest cell ("29.0 s", "145/146").
        assert_eq!(
            lines[0],
            "| binary using | round 1 | round 2 |   mean |   units | packages | x floor | x google-chat1 |     CPU | CPU x floor |"
        );
        assert_eq!(
            lines[2],
            "| floor        |  30.0 s |  28.0 s | 29.0 s |     117 |       92 |    1.00 |           0.74 |  58.0 s |        1.00 |"
        );
        assert_eq!(
            lines[4],
            "| ours         |  55.0 s |  61.0 s | 58.0 s | 145/146 |  120/121 |    2.00 |           1.49 | 116.0 s |        2.00 |"
        );
        assert!(out.contains(
            "| `chat-api`                                     |   6.0 s |   7.0 s | 6.5 s |      45 |     170 |                 30.2 |"
        ), "{out}");
    }

    #[test]
    fn cpu_is_cutime_plus_cstime_after_the_command_name() {
        // A command name with spaces and a parenthesis, as /proc allows.
        let stat = "4242 (cargo (x) y) S 1 2 3 4 5 6 7 8 9 10 11 12 250 50 0 0 20 0 1";
        assert_eq!(cpu_of_stat(stat, 100.0), Some(3.0));
        assert_eq!(cpu_of_stat("4242 (short) S 1 2", 100.0), None);
        assert_eq!(cpu_of_stat("no parenthesis", 100.0), None);
    }

    #[test]
    fn ratio_without_a_baseline_is_a_dash() {
        let rows = [Row {
            name: "chat-api",
            label: "ours".to_owned(),
            seconds: vec![50.0],
            cpu: vec![None],
            units: vec![145],
            packages: vec![120],
        }];
        let out = render(&rows, &[], 1);
        assert!(
            out.lines()
                .nth(2)
                .unwrap()
                .ends_with("|       — |              — |   — |           — |"),
            "{out}"
        );
    }
}
