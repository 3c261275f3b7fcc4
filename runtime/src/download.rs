//! Media download (`alt=media`): the method's URL, sent through the transport, with the
//! body handed back as a stream.

use crate::error::{Error, Result};
use crate::media::Download;
use crate::request::{ApiRequest, expand_path};
use crate::transport::{Outgoing, Transport, is_idempotent};

/// Sends `request` with `alt=media` and returns the body as a stream.
pub(crate) async fn download(transport: &Transport, mut request: ApiRequest) -> Result<Download> {
    let info = request.method;
    if !info.supports_download {
        return Err(Error::invalid(
            info.id,
            "this method does not support media download",
        ));
    }
    request.query.retain(|(name, _)| *name != "alt");
    request.query.push(("alt", "media".to_owned()));
    let path = expand_path(info, info.path, &request.path_params)?;
    let path = transport.method_path(info.path, &path);
    let path = if info.use_download_service {
        format!("download/{path}")
    } else {
        path
    };
    let url = transport.url(info.id, &path, &request.query)?;
    let out = Outgoing {
        id: info.id,
        scopes: info.scopes,
        method: info.http_method.clone(),
        url: &url,
        headers: Vec::new(),
        retryable: is_idempotent(&request),
        replayable: true,
        timeout: false,
        accept: &[],
    };
    let response = transport
        .send_headers_timeout(&out, &request.options, &|| Box::pin(async { Ok(None) }))
        .await?;
    let timeout = request
        .options
        .timeout
        .or(transport.inner().request_timeout);
    Ok(Download::new(info.id, response, timeout))
}
