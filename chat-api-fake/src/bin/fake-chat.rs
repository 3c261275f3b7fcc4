//! `fake-chat`: the fake Chat server as a process, for tools in any language.
//!
//! ```text
//! fake-chat [--addr 127.0.0.1:8085] [--space ID[=Display name]]... [--user ID]...
//!           [--credentials-dir DIR]
//! ```
//!
//! Every `--user` and the Chat app are members of every `--space`. It prints the base
//! URL and the plain test tokens (one line each, `key=value`), writes credential files
//! into `--credentials-dir` if given (`service_account.json`, `user-ID.json`) whose
//! `token_uri` is the fake, and serves until interrupted (Ctrl-C).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chat_api_fake::FakeChat;

const USAGE: &str = "usage: fake-chat [--addr 127.0.0.1:PORT] [--space ID[=NAME]]... [--user ID]... [--credentials-dir DIR]";

#[derive(Debug, Default)]
struct Args {
    addr: Option<SocketAddr>,
    spaces: Vec<(String, String)>,
    users: Vec<String>,
    credentials_dir: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args::default();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--addr" => {
                let v = value()?;
                out.addr = Some(v.parse().map_err(|e| format!("--addr {v}: {e}"))?);
            }
            "--space" => {
                let v = value()?;
                let (id, name) = v.split_once('=').unwrap_or((&v, &v));
                out.spaces.push((id.to_owned(), name.to_owned()));
            }
            "--user" => out.users.push(value()?),
            "--credentials-dir" => out.credentials_dir = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(out)
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = FakeChat::builder();
    if let Some(addr) = args.addr {
        builder = builder.addr(addr);
    }
    let fake = builder.start().await?;
    for user in &args.users {
        fake.add_user(user, user)?;
    }
    for (id, name) in &args.spaces {
        let space = fake.add_space(id, name)?;
        fake.add_app_to_space(&space)?;
        for user in &args.users {
            fake.add_member(&space, user)?;
        }
    }
    println!("url={}", fake.url());
    println!("app_token={}", fake.app_token());
    for user in &args.users {
        println!("user_token.{user}={}", fake.user_token(user)?);
    }
    if let Some(dir) = &args.credentials_dir {
        std::fs::create_dir_all(dir)?;
        std::fs::write(
            dir.join("service_account.json"),
            fake.service_account_json(),
        )?;
        for user in &args.users {
            std::fs::write(
                dir.join(format!("user-{user}.json")),
                fake.authorized_user_json(user)?,
            )?;
        }
        println!("credentials_dir={}", dir.display());
    }
    tokio::signal::ctrl_c().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
