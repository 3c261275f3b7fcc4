//! End to end through the generated builders against wiremock on 127.0.0.1: exact
//! method, path, query, headers and body on the wire.

mod common;

use std::sync::{Arc, Mutex};

use chat_api::media::UploadMedia;
use chat_api::models::{
    Message, SpaceSpaceType, UploadAttachmentRequest, UploadAttachmentResponse,
};
use chat_api::{Client, RetryPolicy, WithStandardParams};
use common::*;
use futures_util::StreamExt as _;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn page(names: &[&str], next: Option<&str>) -> serde_json::Value {
    let messages: Vec<_> = names.iter().map(|n| json!({"name": n})).collect();
    match next {
        Some(token) => json!({"messages": messages, "nextPageToken": token}),
        None => json!({"messages": messages}),
    }
}

#[tokio::test]
async fn list_streams_three_pages_keeping_page_size() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/spaces/A/messages"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m1", "m2"], Some("p2"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("pageToken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m3", "m4"], Some("p3"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("pageToken", "p3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m5"], Some(""))))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let names: Vec<String> = client
        .spaces()
        .messages()
        .list("spaces/A")
        .page_size(2)
        .filter("createTime > \"2024-01-01T00:00:00Z\"")
        .stream()
        .map(|m| m.unwrap().name.unwrap())
        .collect()
        .await;
    assert_eq!(names, ["m1", "m2", "m3", "m4", "m5"]);
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    let filter = "filter=createTime%20%3E%20%222024-01-01T00%3A00%3A00Z%22";
    assert_eq!(
        queries,
        [
            format!("{filter}&pageSize=2"),
            format!("{filter}&pageSize=2&pageToken=p2"),
            format!("{filter}&pageSize=2&pageToken=p3"),
        ]
    );
}

#[tokio::test]
async fn pages_stop_when_the_token_is_missing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server)
        .spaces()
        .messages()
        .list("spaces/A")
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].as_ref().unwrap().messages.is_empty());
}

#[tokio::test]
async fn patch_sends_update_mask_and_only_set_fields() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/spaces/A/messages/B"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"text": "Updated"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"name": "spaces/A/messages/B", "text": "Updated"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let message = Message::new().set_text("Updated");
    let updated = client(&server)
        .spaces()
        .messages()
        .patch("spaces/A/messages/B", message)
        .update_mask("text,cardsV2")
        .fields("name,text")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.text.as_deref(), Some("Updated"));
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        r.url.query(),
        Some("updateMask=text%2CcardsV2&fields=name%2Ctext")
    );
}

#[tokio::test]
async fn int64_and_enums_round_trip_including_unknown_values() {
    let server = MockServer::start().await;
    // 2^53 + 1: only exact as a string.
    let wire = json!({
        "name": "spaces/A/messages/B",
        "slashCommand": {"commandId": "9007199254740993"},
        "space": {"name": "spaces/A", "spaceType": "SPACE_TYPE_FROM_THE_FUTURE"},
        "thread": {"name": "spaces/A/threads/T"}
    });
    Mock::given(method("GET"))
        .and(path("/v1/spaces/A/messages/B"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&wire))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/spaces/A/messages/B"))
        .and(body_json(&wire))
        .respond_with(ResponseTemplate::new(200).set_body_json(&wire))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let message = client
        .spaces()
        .messages()
        .get("spaces/A/messages/B")
        .send()
        .await
        .unwrap();
    assert_eq!(
        message.slash_command.as_ref().unwrap().command_id,
        Some(9_007_199_254_740_993)
    );
    let space_type = message.space.as_ref().unwrap().space_type();
    assert!(
        matches!(&space_type, SpaceSpaceType::Unknown(v) if v.as_str() == "SPACE_TYPE_FROM_THE_FUTURE"),
        "{space_type:?}"
    );
    assert_eq!(space_type.as_str(), "SPACE_TYPE_FROM_THE_FUTURE");
    // Sent back unchanged: the int64 as a string, the unknown value as it came.
    let echoed = client
        .spaces()
        .messages()
        .update("spaces/A/messages/B", message.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(echoed, message);
    let known: SpaceSpaceType = serde_json::from_value(json!("DIRECT_MESSAGE")).unwrap();
    assert_eq!(known, SpaceSpaceType::DirectMessage);
}

/// A response that does not fit the models names the method and the JSON path of the
/// value, through the generated decoders, nested objects and arrays included.
#[tokio::test]
async fn a_response_that_does_not_fit_names_the_json_path() {
    let server = MockServer::start().await;
    let cases = [
        (
            "B1",
            json!({"name": "spaces/A/messages/B1", "cardsV2": [{"cardId": "c"}, {"card": {"sections": [{"widgets": [{}, {"textParagraph": {"text": 5}}]}]}}]}),
            "cardsV2[1].card.sections[0].widgets[1].textParagraph.text",
        ),
        (
            "B2",
            json!({"slashCommand": {"commandId": "not a number"}}),
            "slashCommand.commandId",
        ),
        ("B3", json!({"thread": ["not", "an", "object"]}), "thread"),
    ];
    for (id, body, _) in &cases {
        Mock::given(method("GET"))
            .and(path(format!("/v1/spaces/A/messages/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for (id, _, expected) in cases {
        let e = client
            .spaces()
            .messages()
            .get(format!("spaces/A/messages/{id}"))
            .send()
            .await
            .unwrap_err();
        match &e {
            chat_api::Error::Decode { method, path, .. } => {
                assert_eq!(*method, "chat.spaces.messages.get");
                assert_eq!(path, expected, "{e}");
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains(expected), "{e}");
    }
}

/// get -> change -> update: members this crate does not know (top level and nested) and
/// unknown enum values reach the server unchanged in the PUT, next to the change.
#[tokio::test]
async fn update_keeps_fields_the_crate_does_not_know() {
    let server = MockServer::start().await;
    let from_server = json!({
        "name": "spaces/A/messages/B",
        "text": "Before",
        "fieldFromTheFuture": {"nested": [1, "two", null], "flag": true},
        "thread": {"name": "spaces/A/threads/T", "threadFromTheFuture": "kept"},
        "space": {"name": "spaces/A", "spaceType": "SPACE_TYPE_FROM_THE_FUTURE"}
    });
    let mut expected = from_server.clone();
    expected["text"] = json!("After");
    Mock::given(method("GET"))
        .and(path("/v1/spaces/A/messages/B"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&from_server))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/spaces/A/messages/B"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(&expected))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut message = client
        .spaces()
        .messages()
        .get("spaces/A/messages/B")
        .send()
        .await
        .unwrap();
    assert_eq!(
        message
            .unknown_fields()
            .decode::<serde_json::Value>("fieldFromTheFuture")
            .map(Result::unwrap),
        Some(json!({"nested": [1, "two", null], "flag": true}))
    );
    // Debug shows what is set, the unknown members included, and no unset field.
    let debug = format!("{message:?}");
    assert!(debug.contains("fieldFromTheFuture"), "{debug}");
    assert!(!debug.contains("None"), "{debug}");
    assert!(!debug.contains("cards_v2"), "{debug}");
    message.text = Some("After".into());
    let updated = client
        .spaces()
        .messages()
        .update(message.name().to_owned(), message)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.text(), "After");
    assert_eq!(
        serde_json::to_value(&updated).unwrap(),
        expected,
        "decode -> encode keeps every member"
    );
}

/// Unknown members come back as the same JSON text: numbers no Rust type holds exactly,
/// or writes the same way, included.
#[test]
fn unknown_numbers_keep_their_exact_text() {
    let text = r#"{"zBig":12345678901234567890123,"e":1e2,"huge":1e400,"text":"hi"}"#;
    let message: Message = serde_json::from_str(text).unwrap();
    assert_eq!(message.text(), "hi");
    assert_eq!(
        message.unknown_fields().json("zBig"),
        Some("12345678901234567890123")
    );
    assert_eq!(message.unknown_fields().json("e"), Some("1e2"));
    assert_eq!(
        serde_json::to_string(&message).unwrap(),
        r#"{"text":"hi","zBig":12345678901234567890123,"e":1e2,"huge":1e400}"#
    );
    // Through a `serde_json::Value` too (which keeps what a `Value` can, in its order).
    let value: serde_json::Value =
        serde_json::from_str(r#"{"zBig":12,"x":[1,{"y":null}]}"#).unwrap();
    let message: Message = serde_json::from_value(value).unwrap();
    assert_eq!(
        serde_json::to_string(&message).unwrap(),
        r#"{"x":[1,{"y":null}],"zBig":12}"#
    );
}

/// A name that is not of the parameter's form, or that a URL parser would resolve into
/// another resource, is refused before anything is sent, naming the method, the
/// parameter and the form.
#[tokio::test]
async fn bad_resource_names_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    for bad in [
        "spaces/AAAA/../NOTMEMBER",
        "AAAA",
        "spaces/",
        "spaces/..",
        "spaces/%2e%2e",
        "users/AAAA",
    ] {
        let err = client
            .spaces()
            .messages()
            .create(bad, Message::new().set_text("x"))
            .send()
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, chat_api::Error::InvalidArgument { .. }),
            "{bad}: {text}"
        );
        assert!(
            text.starts_with(
                "chat.spaces.messages.create: invalid argument: path parameter `parent`:"
            ),
            "{bad}: {text}"
        );
        assert!(
            text.contains("of the form `spaces/{space}`"),
            "{bad}: {text}"
        );
    }
    let err = client
        .spaces()
        .messages()
        .get("spaces/A/messages/../../B")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`spaces/{space}/messages/{message}`"),
        "{err}"
    );
    // A download name has no form (`^.*$`), and still may not climb out of its path.
    let err = client
        .media()
        .download("spaces/A/attachments/../../../x")
        .fetch_media()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`.` and `..` segments"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// Typed names go wherever a builder takes a name.
#[tokio::test]
async fn typed_names_are_accepted_by_builders() {
    use chat_api::names::{MessageName, SpaceName};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/spaces/AAAA/messages"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/AAAA/messages/M"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/spaces/AAAA/messages/M"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let space = SpaceName::new("AAAA").unwrap();
    let sent = client
        .spaces()
        .messages()
        .create(&space, Message::new().set_text("hi"))
        .send()
        .await
        .unwrap();
    let name: MessageName = sent.name().parse().unwrap();
    assert_eq!((name.space(), name.message()), ("AAAA", "M"));
    assert_eq!(name, MessageName::new("AAAA", "M").unwrap());
    client
        .spaces()
        .messages()
        .delete(name)
        .send()
        .await
        .unwrap();
    assert!(SpaceName::new("AAAA/../B").is_err());
    assert!(SpaceName::new("..").is_err());
}

#[tokio::test]
async fn retries_503_then_succeeds_and_never_retries_400() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/spaces/A/messages/B"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/spaces/A/messages/B"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/A/messages/B"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/spaces/A/messages/BAD"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": {
            "code": 400, "message": "Invalid resource name.", "status": "INVALID_ARGUMENT"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let m = client
        .spaces()
        .messages()
        .get("spaces/A/messages/B")
        .send()
        .await
        .unwrap();
    assert_eq!(m.name.as_deref(), Some("spaces/A/messages/B"));
    let e = client
        .spaces()
        .messages()
        .get("spaces/A/messages/BAD")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(400));
    assert_eq!(
        e.to_string(),
        "chat.spaces.messages.get: HTTP 400 INVALID_ARGUMENT: Invalid resource name."
    );
}

#[tokio::test]
async fn create_with_request_id_is_retried_and_without_it_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(query_param("requestId", "r-1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(query_param("requestId", "r-1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/A/messages/r-1"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(query_param_is_missing("requestId"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let m = client
        .spaces()
        .messages()
        .create("spaces/A", Message::default())
        .request_id("r-1")
        .send()
        .await
        .unwrap();
    assert_eq!(m.name.as_deref(), Some("spaces/A/messages/r-1"));
    let e = client
        .spaces()
        .messages()
        .create("spaces/A", Message::default())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(503));
}

#[tokio::test]
async fn download_streams_the_media() {
    let server = MockServer::start().await;
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 13) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/v1/media/spaces/A/messages/B/attachments/C"))
        .and(query_param("alt", "media"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(data.clone(), "image/png"))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let name = "spaces/A/messages/B/attachments/C";
    let download = client.media().download(name).fetch_media().await.unwrap();
    assert_eq!(download.content_type(), Some("image/png"));
    let mut out = Vec::new();
    download.write_to(&mut out).await.unwrap();
    assert_eq!(out, data);
    // Or as a stream of chunks.
    let mut stream = client.media().download(name).fetch_media().await.unwrap();
    let mut total = 0;
    while let Some(chunk) = stream.next().await {
        total += chunk.unwrap().len();
    }
    assert_eq!(total, data.len());
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.url.query(), Some("alt=media"));
}

/// A resumable session that stores chunks and can be broken from a byte offset on.
struct Session {
    stored: Mutex<Vec<u8>>,
    broken_from: Mutex<Option<usize>>,
    ranges: Mutex<Vec<String>>,
}

impl Session {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let range = r.headers["content-range"].to_str().unwrap().to_owned();
        self.ranges.lock().unwrap().push(range.clone());
        let mut stored = self.stored.lock().unwrap();
        let (span, total) = range
            .strip_prefix("bytes ")
            .unwrap()
            .split_once('/')
            .unwrap();
        if let Some((start, _)) = span.split_once('-') {
            let start: usize = start.parse().unwrap();
            assert_eq!(start, stored.len());
            if self.broken_from.lock().unwrap().is_some_and(|b| start >= b) {
                return ResponseTemplate::new(503);
            }
            stored.extend_from_slice(&r.body);
        }
        if total.parse::<usize>().ok() == Some(stored.len()) {
            return ResponseTemplate::new(200).set_body_json(json!({
                "attachmentDataRef": {"resourceName": "ref-1", "attachmentUploadToken": "upload-token"}
            }));
        }
        ResponseTemplate::new(308).insert_header("range", format!("bytes=0-{}", stored.len() - 1))
    }
}

#[tokio::test]
async fn resumable_upload_interrupted_midway_then_resumed() {
    const CHUNK: usize = 256 * 1024;
    let server = MockServer::start().await;
    let session = Arc::new(Session {
        stored: Mutex::default(),
        broken_from: Mutex::new(Some(2 * CHUNK)),
        ranges: Mutex::default(),
    });
    let session_uri = format!("{}/upload/session?upload_id=SESSION-SECRET", server.uri());
    // The session starts at the upload URL of Chat's reference
    // (developers.google.com/workspace/chat/api/reference/rest/v1/media/upload:
    // `POST https://chat.googleapis.com/upload/v1/{parent}/attachments:upload`) with
    // `uploadType=resumable`, not at the document's `/resumable/upload/...` path.
    Mock::given(method("POST"))
        .and(path("/upload/v1/spaces/A/attachments:upload"))
        .and(query_param("uploadType", "resumable"))
        .and(header("x-upload-content-type", "video/mp4"))
        .and(header(
            "x-upload-content-length",
            (3 * CHUNK + 7).to_string().as_str(),
        ))
        .and(header("content-type", "application/json; charset=UTF-8"))
        .and(body_json(json!({"filename": "clip.mp4"})))
        .respond_with(ResponseTemplate::new(200).insert_header("location", session_uri.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let s = session.clone();
    Mock::given(method("PUT"))
        .and(path("/upload/session"))
        .and(query_param("upload_id", "SESSION-SECRET"))
        .respond_with(move |r: &Request| s.respond(r))
        .mount(&server)
        .await;
    let dir = temp_dir("e2e-resume");
    let file = dir.join("clip.mp4");
    let data: Vec<u8> = (0..3 * CHUNK + 7).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let media = || async {
        UploadMedia::from_file(&file, "video/mp4")
            .await
            .unwrap()
            .resumable()
            .chunk_size(CHUNK)
    };
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let request = UploadAttachmentRequest::new().set_filename("clip.mp4");

    let err = client
        .media()
        .upload("spaces/A", request.clone())
        .send_media(media().await)
        .await
        .unwrap_err();
    let stopped = err.upload_session().unwrap().clone();
    assert_eq!(stopped.committed(), 2 * CHUNK as u64);
    assert!(!format!("{err} {err:?}").contains("SESSION-SECRET"));

    *session.broken_from.lock().unwrap() = None;
    let done: UploadAttachmentResponse =
        client.resume_upload(&stopped, media().await).await.unwrap();
    assert_eq!(
        done.attachment_data_ref.unwrap().resource_name.as_deref(),
        Some("ref-1")
    );
    assert_eq!(*session.stored.lock().unwrap(), data);
    let total = data.len();
    assert_eq!(
        *session.ranges.lock().unwrap(),
        [
            format!("bytes 0-262143/{total}"),
            format!("bytes 262144-524287/{total}"),
            // Broken: the chunk fails, the client asks, retries once, gives up.
            format!("bytes 524288-786431/{total}"),
            format!("bytes */{total}"),
            format!("bytes 524288-786431/{total}"),
            // Resumed later from the server's committed offset.
            format!("bytes */{total}"),
            format!("bytes 524288-786431/{total}"),
            format!("bytes 786432-786438/{total}"),
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A `%` in a resource name is literal text on the wire: `spaces/A%2fB` and `spaces/A%zz`
/// go out with the `%` encoded (`%25`), so a server that decodes the path once sees the
/// names as given, never `spaces/A/B` (request.rs, "Path values" in README).
#[tokio::test]
async fn a_percent_in_a_name_goes_out_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "spaces/x"})))
        .mount(&server)
        .await;
    let client = client(&server);
    for name in ["spaces/A%2fB", "spaces/A%zz", "spaces/100%"] {
        client.spaces().get(name).send().await.unwrap();
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/v1/spaces/A%252fB",
            "/v1/spaces/A%25zz",
            "/v1/spaces/100%25"
        ]
    );
}
