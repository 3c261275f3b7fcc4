//! Attachments through media upload: resumable in chunks (through the client, on the
//! Discovery document's `/resumable/upload/` path) and by hand on Google's clients'
//! `/upload/v1/...?uploadType=resumable` path, then download.

mod common;

use chat_api::media::UploadMedia;
use chat_api::models::{Attachment, Message, UploadAttachmentRequest};

#[tokio::test]
async fn resumable_upload_in_chunks_then_download() {
    let (fake, space) = common::team().await;
    let alice = fake.user_client("alice").unwrap();
    let data: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
    let media = UploadMedia::from_bytes(data.clone(), "application/octet-stream")
        .resumable()
        .chunk_size(256 * 1024);
    let uploaded = alice
        .media()
        .upload(
            &space,
            UploadAttachmentRequest::new().set_filename("blob.bin"),
        )
        .send_media(media)
        .await
        .unwrap();
    let puts = fake
        .calls()
        .iter()
        .filter(|c| c.method == "media.upload")
        .count();
    assert_eq!(puts, 4, "session start and three chunks");
    let data_ref = uploaded.attachment_data_ref.unwrap();
    let message = alice
        .spaces()
        .messages()
        .create(
            &space,
            Message::new()
                .set_attachment([Attachment::new().set_attachment_data_ref(data_ref.clone())]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(message.attachment[0].content_name(), "blob.bin");
    let mut bytes = Vec::new();
    fake.user_client("bob")
        .unwrap()
        .media()
        .download(data_ref.resource_name())
        .fetch_media()
        .await
        .unwrap()
        .write_to(&mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, data);
    // Someone outside the space cannot read it.
    let err = fake
        .user_client("carol")
        .unwrap()
        .media()
        .download(data_ref.resource_name())
        .fetch_media()
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().http_status, 403);
}

#[tokio::test]
async fn resumable_session_on_the_upload_path_reports_what_it_has() {
    let (fake, _) = common::team().await;
    let token = fake.user_token("alice").unwrap();
    let http = reqwest::Client::new();
    let start = http
        .post(format!(
            "{}upload/v1/spaces/AAAA/attachments:upload?uploadType=resumable",
            fake.url()
        ))
        .bearer_auth(&token)
        .header("x-upload-content-type", "text/plain")
        .header("x-upload-content-length", "10")
        .header("content-type", "application/json")
        .body(r#"{"filename": "a.txt"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 200);
    let session = start.headers()["location"].to_str().unwrap().to_owned();
    let put = |range: &'static str, body: &'static [u8]| {
        http.put(&session)
            .header("content-range", range)
            .body(body)
            .send()
    };
    let first = put("bytes 0-3/10", b"0123").await.unwrap();
    assert_eq!(
        (
            first.status().as_u16(),
            first.headers()["range"].to_str().unwrap()
        ),
        (308, "bytes=0-3")
    );
    let status = put("bytes */10", b"").await.unwrap();
    assert_eq!(status.headers()["range"].to_str().unwrap(), "bytes=0-3");
    // A chunk overlapping stored bytes is accepted from where the server stands.
    let done = put("bytes 2-9/10", b"23456789").await.unwrap();
    assert_eq!(done.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(&done.bytes().await.unwrap()).unwrap();
    let resource = body["attachmentDataRef"]["resourceName"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut bytes = Vec::new();
    fake.user_client("alice")
        .unwrap()
        .media()
        .download(resource)
        .fetch_media()
        .await
        .unwrap()
        .write_to(&mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, b"0123456789");
}

#[tokio::test]
async fn uploads_need_user_credentials_and_a_filename() {
    let (fake, space) = common::team().await;
    let media = || UploadMedia::from_bytes(&b"x"[..], "text/plain");
    let err = fake
        .app_client()
        .unwrap()
        .media()
        .upload(&space, UploadAttachmentRequest::new().set_filename("a"))
        .send_media(media())
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().http_status, 403);
    let err = fake
        .user_client("alice")
        .unwrap()
        .media()
        .upload(&space, UploadAttachmentRequest::new())
        .send_media(media())
        .await
        .unwrap_err();
    assert_eq!(
        err.api().unwrap().status.as_deref(),
        Some("INVALID_ARGUMENT")
    );
}
