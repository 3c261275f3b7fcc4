//! Runtime benchmark, against a minimal HTTP/1.1 server on 127.0.0.1 in this process:
//!
//! 1. `messages.create` throughput through chat-api versus hand-written reqwest calls
//!    sending the same bytes (ratio; target >= 0.9);
//! 2. time to stream 10,000 messages across 100 pages, versus a hand-written page loop;
//! 3. peak resident memory (VmHWM) of a child process downloading and of one uploading
//!    (resumable, from a file) a 200 MB attachment (target < 64 MB), next to an idle child.
//!
//! ```text
//! cargo run --release -p chat-api --example bench_runtime
//! ```
//!
//! Everything is bounded: fixed request counts, one 200 MB transfer each way, and the
//! server stops with the process.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chat_api::media::UploadMedia;
use chat_api::models::{ListMessagesResponse, Message, UploadAttachmentRequest};
use chat_api::{Client, Credentials};
use futures_util::StreamExt as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CREATE_CALLS: usize = 4000;
const CONCURRENCY: usize = 4;
/// Alternating rounds per comparison; the best of each side counts, which filters out
/// the noise of a shared machine.
const ROUNDS: usize = 5;
const PAGES: usize = 100;
const PAGE_SIZE: usize = 100;
const MEDIA_BYTES: u64 = 200 * 1024 * 1024;
const TOKEN: &str = "bench-token";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    if args.get(1).map(String::as_str) == Some("--child") {
        return rt.block_on(child(&args[2], &args[3]));
    }
    rt.block_on(parent())
}

fn client(base: &str) -> Result<Client, chat_api::Error> {
    Client::builder()
        .base_url(base)
        .credentials(Credentials::bearer_token(TOKEN))
        .build()
}

async fn parent() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/", listener.local_addr()?);
    tokio::spawn(serve(listener, base.clone()));

    // 1. messages.create throughput: alternating rounds, best of each.
    let chat = client(&base)?;
    let raw = reqwest::Client::builder()
        .user_agent("chat-api-rs/0.1.0")
        .build()?;
    create_via_chat_api(&chat, 200).await?; // warm-up both pools
    create_via_reqwest(&raw, &base, 200).await?;
    let (mut best_chat, mut best_raw) = (f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        best_chat = best_chat.min(create_via_chat_api(&chat, CREATE_CALLS).await?);
        best_raw = best_raw.min(create_via_reqwest(&raw, &base, CREATE_CALLS).await?);
    }
    let (chat_rps, raw_rps) = (
        CREATE_CALLS as f64 / best_chat,
        CREATE_CALLS as f64 / best_raw,
    );
    println!(
        "messages.create: chat-api {chat_rps:.0} req/s, hand-written reqwest {raw_rps:.0} req/s, ratio {:.3} (target >= 0.9)",
        chat_rps / raw_rps
    );

    // 2. Streaming 10,000 messages across 100 pages.
    let (mut best_stream, mut best_loop) = (f64::MAX, f64::MAX);
    for _ in 0..3 * ROUNDS {
        best_stream = best_stream.min(stream_via_chat_api(&chat).await?);
        best_loop = best_loop.min(pages_via_reqwest(&raw, &base).await?);
    }
    println!(
        "stream {} messages over {PAGES} pages: chat-api .stream() {:.1} ms, hand-written page loop {:.1} ms, ratio {:.3}",
        PAGES * PAGE_SIZE,
        best_stream * 1e3,
        best_loop * 1e3,
        best_loop / best_stream
    );

    // 3. Peak RSS in child processes.
    let exe = std::env::current_exe()?;
    let file = std::env::temp_dir().join(format!("chat-api-bench-{}.bin", std::process::id()));
    write_media_file(&file).await?;
    for mode in ["idle", "download", "upload"] {
        let arg = if mode == "upload" {
            file.display().to_string()
        } else {
            base.clone()
        };
        let started = Instant::now();
        let out = tokio::process::Command::new(&exe)
            .args(["--child", mode, &arg])
            .env("BENCH_BASE", &base)
            .output()
            .await?;
        if !out.status.success() {
            return Err(format!(
                "child {mode} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        println!(
            "{mode}: peak RSS {} ({:.2} s)",
            String::from_utf8_lossy(&out.stdout).trim(),
            started.elapsed().as_secs_f64()
        );
    }
    tokio::fs::remove_file(&file).await?;
    Ok(())
}

/// Runs in a child process: one 200 MB transfer, then prints VmHWM.
async fn child(mode: &str, arg: &str) -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("BENCH_BASE")?;
    let chat = client(&base)?;
    match mode {
        "idle" => {}
        "download" => {
            let d = chat
                .media()
                .download("spaces/A/messages/B/attachments/C")
                .fetch_media()
                .await?;
            let n = d.write_to(&mut tokio::io::sink()).await?;
            assert_eq!(n, MEDIA_BYTES);
        }
        "upload" => {
            let media = UploadMedia::from_file(arg, "video/mp4").await?;
            let request = UploadAttachmentRequest::new().set_filename("big.mp4");
            let done = chat
                .media()
                .upload("spaces/A", request)
                .send_media(media)
                .await?;
            assert!(done.attachment_data_ref.is_some());
        }
        other => return Err(format!("unknown mode {other}").into()),
    }
    let status = std::fs::read_to_string("/proc/self/status")?;
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .map(|l| l["VmHWM:".len()..].trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    println!("{hwm}");
    Ok(())
}

fn message() -> Message {
    Message::new().set_text("Test message from the benchmark")
}

async fn create_via_chat_api(chat: &Client, calls: usize) -> Result<f64, chat_api::Error> {
    let started = Instant::now();
    let per_task = calls / CONCURRENCY;
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let chat = chat.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    let m = chat
                        .spaces()
                        .messages()
                        .create("spaces/A", message())
                        .send()
                        .await?;
                    std::hint::black_box(m);
                }
                Ok::<_, chat_api::Error>(())
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task")?;
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn create_via_reqwest(
    raw: &reqwest::Client,
    base: &str,
    calls: usize,
) -> Result<f64, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let per_task = calls / CONCURRENCY;
    let url = format!("{base}v1/spaces/A/messages");
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (raw, url) = (raw.clone(), url.clone());
            tokio::spawn(async move {
                for _ in 0..per_task {
                    let body = serde_json::to_vec(&message()).expect("serialize");
                    let response = raw
                        .post(&url)
                        .bearer_auth(TOKEN)
                        .header("content-type", "application/json")
                        .header("x-goog-api-client", "gl-rust gdcl/0.1.0")
                        .body(body)
                        .send()
                        .await?
                        .error_for_status()?;
                    let m: Message =
                        serde_json::from_slice(&response.bytes().await?).expect("decode");
                    std::hint::black_box(m);
                }
                Ok::<_, reqwest::Error>(())
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task")?;
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn stream_via_chat_api(chat: &Client) -> Result<f64, chat_api::Error> {
    let started = Instant::now();
    let mut stream = chat
        .spaces()
        .messages()
        .list("spaces/B")
        .page_size(PAGE_SIZE as i32)
        .stream();
    let mut n = 0;
    while let Some(m) = stream.next().await {
        std::hint::black_box(m?);
        n += 1;
    }
    assert_eq!(n, PAGES * PAGE_SIZE);
    Ok(started.elapsed().as_secs_f64())
}

async fn pages_via_reqwest(
    raw: &reqwest::Client,
    base: &str,
) -> Result<f64, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut token: Option<String> = None;
    let mut n = 0;
    loop {
        let mut url = format!("{base}v1/spaces/B/messages?pageSize={PAGE_SIZE}");
        if let Some(t) = &token {
            url.push_str("&pageToken=");
            url.push_str(t);
        }
        let body = raw
            .get(&url)
            .bearer_auth(TOKEN)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let page: ListMessagesResponse = serde_json::from_slice(&body)?;
        for m in page.messages {
            std::hint::black_box(m);
            n += 1;
        }
        match page.next_page_token.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(n, PAGES * PAGE_SIZE);
    Ok(started.elapsed().as_secs_f64())
}

async fn write_media_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut f = tokio::fs::File::create(path).await?;
    let block = vec![0x5au8; 1024 * 1024];
    for _ in 0..(MEDIA_BYTES / block.len() as u64) {
        f.write_all(&block).await?;
    }
    f.flush().await
}

// ---- A minimal HTTP/1.1 server: enough for these calls, nothing more. ----

/// Bytes stored in the (single) resumable upload session.
static SESSION_BYTES: AtomicU64 = AtomicU64::new(0);

async fn serve(listener: TcpListener, base: String) {
    let base = Arc::new(base);
    while let Ok((socket, _)) = listener.accept().await {
        let base = base.clone();
        tokio::spawn(async move {
            let _ = connection(socket, &base).await;
        });
    }
}

struct Head {
    method: String,
    target: String,
    content_length: u64,
    content_range: Option<String>,
}

async fn connection(mut socket: TcpStream, base: &str) -> std::io::Result<()> {
    socket.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if socket.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        };
        let head = parse_head(&buf[..head_end]);
        buf.drain(..head_end);
        // Discard the body, keeping memory flat.
        let mut left = head.content_length;
        let take = left.min(buf.len() as u64) as usize;
        buf.drain(..take);
        left -= take as u64;
        let mut sink = vec![0u8; 256 * 1024];
        let sink_len = sink.len() as u64;
        while left > 0 {
            let n = socket
                .read(&mut sink[..left.min(sink_len) as usize])
                .await?;
            if n == 0 {
                return Ok(());
            }
            left -= n as u64;
        }
        respond(&mut socket, &head, base).await?;
    }
}

fn parse_head(head: &[u8]) -> Head {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let (mut content_length, mut content_range) = (0, None);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => content_length = value.trim().parse().unwrap_or(0),
                "content-range" => content_range = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    Head {
        method,
        target,
        content_length,
        content_range,
    }
}

async fn send(
    socket: &mut TcpStream,
    status: &str,
    headers: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{headers}\r\n",
        body.len()
    );
    let mut out = Vec::with_capacity(head.len() + body.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(body);
    socket.write_all(&out).await
}

async fn respond(socket: &mut TcpStream, head: &Head, base: &str) -> std::io::Result<()> {
    let path = head.target.split('?').next().unwrap_or_default();
    match (head.method.as_str(), path) {
        ("POST", "/v1/spaces/A/messages") => {
            let body = br#"{"name":"spaces/A/messages/M1","text":"Test message from the benchmark","createTime":"2024-05-01T10:00:00.123456Z","thread":{"name":"spaces/A/threads/T1"}}"#;
            send(socket, "200 OK", "", body).await
        }
        ("GET", "/v1/spaces/B/messages") => {
            let page: usize = head
                .target
                .split("pageToken=")
                .nth(1)
                .and_then(|t| t.split('&').next())
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let mut body = String::from(r#"{"messages":["#);
            for i in 0..PAGE_SIZE {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(&format!(
                    r#"{{"name":"spaces/B/messages/{page}.{i}","text":"message {i} of page {page}","createTime":"2024-05-01T10:00:00Z","sender":{{"name":"users/1","type":"HUMAN"}}}}"#
                ));
            }
            body.push(']');
            if page + 1 < PAGES {
                body.push_str(&format!(r#","nextPageToken":"{}""#, page + 1));
            }
            body.push('}');
            send(socket, "200 OK", "", body.as_bytes()).await
        }
        ("GET", "/v1/media/spaces/A/messages/B/attachments/C") => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: {MEDIA_BYTES}\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).await?;
            let block = vec![0xa5u8; 256 * 1024];
            let mut left = MEDIA_BYTES;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                socket.write_all(&block[..n]).await?;
                left -= n as u64;
            }
            Ok(())
        }
        ("POST", "/resumable/upload/v1/spaces/A/attachments:upload") => {
            SESSION_BYTES.store(0, Ordering::SeqCst);
            let location = format!("location: {base}session?upload_id=1\r\n");
            send(socket, "200 OK", &location, b"").await
        }
        ("PUT", "/session") => {
            let range = head.content_range.clone().unwrap_or_default();
            let total: Option<u64> = range.rsplit('/').next().and_then(|t| t.parse().ok());
            let stored = SESSION_BYTES.fetch_add(head.content_length, Ordering::SeqCst)
                + head.content_length;
            if total == Some(stored) {
                let body =
                    br#"{"attachmentDataRef":{"resourceName":"ref","attachmentUploadToken":"t"}}"#;
                send(socket, "200 OK", "", body).await
            } else {
                let range = format!("range: bytes=0-{}\r\n", stored.saturating_sub(1));
                send(socket, "308 Resume Incomplete", &range, b"").await
            }
        }
        _ => {
            send(
                socket,
                "404 Not Found",
                "",
                br#"{"error":{"code":404,"message":"no route","status":"NOT_FOUND"}}"#,
            )
            .await
        }
    }
}
