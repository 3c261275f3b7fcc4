//! Hints for Chat's error answers whose message alone does not tell the fix; the
//! runtime adds the ones every Google API shares (401, quota, scopes).

/// The hint of a 403 telling that the Chat app is not in the space.
pub(crate) const NOT_A_MEMBER: &str = "the Chat app is not a member of this space: add the Chat app (the one behind \
     these service-account credentials) to the space, then retry";

/// Chat's hint for an error answer, if it has one.
pub(crate) fn hint(http_status: u16, _status: Option<&str>, message: &str) -> Option<&'static str> {
    let lower = message.to_ascii_lowercase();
    (http_status == 403 && lower.contains("not permitted to use this app")).then_some(NOT_A_MEMBER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_permitted_to_use_this_app_says_to_add_the_app() {
        assert_eq!(
            hint(
                403,
                Some("PERMISSION_DENIED"),
                "You are not permitted to use this app"
            ),
            Some(NOT_A_MEMBER)
        );
        assert_eq!(
            hint(404, None, "You are not permitted to use this app"),
            None
        );
        assert_eq!(hint(403, None, "The caller does not have permission"), None);
    }
}
