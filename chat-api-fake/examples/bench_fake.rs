//! `messages.create` per second through the fake on loopback, against the same client
//! sending to a fixed wiremock stub in the same run (the ratio is what to read: both
//! share the machine and the client), and the fake's memory for 100,000 messages.
//!
//! ```text
//! cargo run --release -p chat-api-fake --example bench_fake [CALLS] [CONCURRENCY]
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use chat_api::models::Message;
use chat_api::{Client, Credentials, RetryPolicy};
use chat_api_fake::{FakeChat, Identity};
use futures_util::StreamExt as _;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Counts the bytes allocated and not yet freed.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same layout as asked.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded as given.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn client(base: &str, token: &str) -> Client {
    Client::builder()
        .base_url(base)
        .credentials(Credentials::bearer_token(token))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}

/// Sends `calls` creates with `concurrency` in flight; creates per second.
async fn run(client: &Client, calls: usize, concurrency: usize) -> f64 {
    let started = Instant::now();
    futures_util::stream::iter(0..calls)
        .map(|i| {
            let client = client.clone();
            async move {
                client
                    .spaces()
                    .messages()
                    .create(
                        "spaces/AAAA",
                        Message::new().set_text(format!("message {i}")),
                    )
                    .send()
                    .await
                    .expect("create");
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<()>>()
        .await;
    calls as f64 / started.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let calls: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);

    let fake = FakeChat::start().await.expect("fake");
    let space = fake.add_space("AAAA", "Bench").expect("space");
    fake.add_app_to_space(&space).expect("member");
    let stub = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/AAAA/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "name": "spaces/AAAA/messages/M1",
            "sender": {"name": "users/app", "type": "BOT"},
            "text": "message",
            "createTime": "2026-01-01T00:00:00.000000Z",
            "thread": {"name": "spaces/AAAA/threads/T1"},
            "space": {"name": "spaces/AAAA"},
        })))
        .mount(&stub)
        .await;
    let to_fake = client(fake.url(), &fake.app_token());
    let to_stub = client(&stub.uri(), "token");

    // Warm both, then alternate rounds so that drift hits both alike.
    run(&to_fake, 200, concurrency).await;
    run(&to_stub, 200, concurrency).await;
    let (mut f, mut s) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        f.push(run(&to_fake, calls, concurrency).await);
        s.push(run(&to_stub, calls, concurrency).await);
    }
    let (f, s) = (median(f), median(s));
    println!("messages.create, {calls} calls x 3 rounds, {concurrency} in flight (median round):");
    println!("  fake Chat:     {f:>9.0} /s");
    println!("  wiremock stub: {s:>9.0} /s");
    println!("  fake / stub:   {:>9.2}x", f / s);

    // Memory: 100,000 messages stored through the same code path as messages.create.
    let memory_space = fake.add_space("MEM", "Memory").expect("space");
    fake.add_app_to_space(&memory_space).expect("member");
    let app = Identity::App(fake.app().to_owned());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = LIVE.load(Ordering::Relaxed);
    for i in 0..100_000 {
        let message = Message::new().set_text(format!("message number {i}"));
        fake.post(&memory_space, &app, &message).expect("post");
    }
    let after = LIVE.load(Ordering::Relaxed);
    let bytes = (after - before).max(0) as f64;
    println!(
        "memory for 100,000 messages (\"message number N\", app sender): {:.1} MiB ({:.0} bytes per message)",
        bytes / (1024.0 * 1024.0),
        bytes / 100_000.0
    );
    assert_eq!(fake.message_count(&memory_space).expect("count"), 100_000);
}
