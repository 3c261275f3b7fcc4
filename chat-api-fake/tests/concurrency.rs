//! 1,000 concurrent `messages.create` across 10 spaces: none lost, none duplicated;
//! lists running while the writes go on return each message at most once.

use std::collections::HashSet;

use chat_api::models::Message;
use chat_api_fake::FakeChat;
use futures_util::StreamExt as _;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thousand_concurrent_creates_across_ten_spaces() {
    let fake = FakeChat::start().await.unwrap();
    fake.add_user("reader", "Reader").unwrap();
    let spaces: Vec<String> = (0..10)
        .map(|i| {
            let s = fake
                .add_space(&format!("S{i}"), &format!("Space {i}"))
                .unwrap();
            fake.add_app_to_space(&s).unwrap();
            fake.add_member(&s, "reader").unwrap();
            s
        })
        .collect();
    let app = fake.app_client().unwrap();
    let reader = fake.user_client("reader").unwrap();

    let writes = futures_util::stream::iter(0..1000)
        .map(|i| {
            let app = app.clone();
            let space = spaces[i % 10].clone();
            async move {
                let sent = app
                    .spaces()
                    .messages()
                    .create(&space, Message::new().set_text(format!("m{i}")))
                    .request_id(format!("req-{i}"))
                    .send()
                    .await
                    .unwrap();
                (i, sent.name.unwrap())
            }
        })
        .buffer_unordered(1000)
        .collect::<Vec<_>>();
    // Page through every space, small pages, while the writes run.
    let reads = async {
        let mut seen_per_pass = Vec::new();
        for _ in 0..3 {
            for space in &spaces {
                let mut seen = HashSet::new();
                let mut pages = reader.spaces().messages().list(space).page_size(7).stream();
                while let Some(m) = pages.next().await {
                    let name = m.unwrap().name.unwrap();
                    assert!(seen.insert(name.clone()), "{name} listed twice in one pass");
                }
                seen_per_pass.push(seen.len());
            }
        }
        seen_per_pass
    };
    let (created, _) = tokio::join!(writes, reads);

    assert_eq!(created.len(), 1000);
    let names: HashSet<&String> = created.iter().map(|(_, n)| n).collect();
    assert_eq!(names.len(), 1000, "every create got its own message");
    let mut total = 0;
    for (k, space) in spaces.iter().enumerate() {
        let stored = fake.messages(space).unwrap();
        assert_eq!(stored.len(), 100, "{space}");
        let texts: HashSet<String> = stored.iter().map(|m| m.text().to_owned()).collect();
        let expected: HashSet<String> = (0..1000)
            .filter(|i| i % 10 == k)
            .map(|i| format!("m{i}"))
            .collect();
        assert_eq!(texts, expected, "{space} holds exactly its messages");
        total += stored.len();
    }
    assert_eq!(total, 1000);
}
