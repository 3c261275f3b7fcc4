//! Which of the API's 55 methods a request is: the HTTP method and the path after `v1/`,
//! matched segment by segment against the Discovery document's paths (`{+name}` spans
//! several segments, so one template such as `GET v1/{+name}` is many routes here).

use axum::http::Method;

/// One route: the method id (as in the Discovery document, without `chat.`), the HTTP
/// method, the path pattern (`*` is one segment, `**` the rest, `:verb` a custom verb),
/// and whether the fake implements it.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub id: &'static str,
    pub method: Method,
    pub pattern: &'static str,
    pub implemented: bool,
}

const fn r(id: &'static str, method: Method, pattern: &'static str, implemented: bool) -> Route {
    Route {
        id,
        method,
        pattern,
        implemented,
    }
}

/// Every method of the Chat API v1 (revision 20261107: 55 methods), in the order they
/// are tried. The fixed paths (`spaces:setup`) come before the patterns they would
/// otherwise match.
pub(crate) static ROUTES: [Route; 55] = [
    // customEmojis
    r("customEmojis.create", Method::POST, "customEmojis", false),
    r(
        "customEmojis.delete",
        Method::DELETE,
        "customEmojis/*",
        false,
    ),
    r("customEmojis.get", Method::GET, "customEmojis/*", false),
    r("customEmojis.list", Method::GET, "customEmojis", false),
    // media
    r("media.download", Method::GET, "media/**", true),
    r(
        "media.upload",
        Method::POST,
        "spaces/*/attachments:upload",
        true,
    ),
    // spaces
    r(
        "spaces.completeImport",
        Method::POST,
        "spaces/*:completeImport",
        false,
    ),
    r("spaces.create", Method::POST, "spaces", true),
    r(
        "spaces.findDirectMessage",
        Method::GET,
        "spaces:findDirectMessage",
        true,
    ),
    r(
        "spaces.findGroupChats",
        Method::GET,
        "spaces:findGroupChats",
        false,
    ),
    r("spaces.search", Method::GET, "spaces:search", true),
    r("spaces.setup", Method::POST, "spaces:setup", true),
    r("spaces.delete", Method::DELETE, "spaces/*", true),
    r("spaces.get", Method::GET, "spaces/*", true),
    r("spaces.list", Method::GET, "spaces", true),
    r("spaces.patch", Method::PATCH, "spaces/*", true),
    // spaces.members
    r(
        "spaces.members.create",
        Method::POST,
        "spaces/*/members",
        true,
    ),
    r(
        "spaces.members.delete",
        Method::DELETE,
        "spaces/*/members/*",
        true,
    ),
    r(
        "spaces.members.get",
        Method::GET,
        "spaces/*/members/*",
        true,
    ),
    r("spaces.members.list", Method::GET, "spaces/*/members", true),
    r(
        "spaces.members.patch",
        Method::PATCH,
        "spaces/*/members/*",
        true,
    ),
    // spaces.messagePins
    r(
        "spaces.messagePins.create",
        Method::POST,
        "spaces/*/messagePins",
        false,
    ),
    r(
        "spaces.messagePins.delete",
        Method::DELETE,
        "spaces/*/messagePins/*",
        false,
    ),
    r(
        "spaces.messagePins.list",
        Method::GET,
        "spaces/*/messagePins",
        false,
    ),
    // spaces.messages
    r(
        "spaces.messages.search",
        Method::POST,
        "spaces/*/messages:search",
        false,
    ),
    r(
        "spaces.messages.create",
        Method::POST,
        "spaces/*/messages",
        true,
    ),
    r(
        "spaces.messages.delete",
        Method::DELETE,
        "spaces/*/messages/*",
        true,
    ),
    r(
        "spaces.messages.get",
        Method::GET,
        "spaces/*/messages/*",
        true,
    ),
    r(
        "spaces.messages.list",
        Method::GET,
        "spaces/*/messages",
        true,
    ),
    r(
        "spaces.messages.patch",
        Method::PATCH,
        "spaces/*/messages/*",
        true,
    ),
    r(
        "spaces.messages.replaceCards",
        Method::POST,
        "spaces/*/messages/*:replaceCards",
        true,
    ),
    r(
        "spaces.messages.update",
        Method::PUT,
        "spaces/*/messages/*",
        true,
    ),
    r(
        "spaces.messages.attachments.get",
        Method::GET,
        "spaces/*/messages/*/attachments/*",
        true,
    ),
    r(
        "spaces.messages.reactions.create",
        Method::POST,
        "spaces/*/messages/*/reactions",
        true,
    ),
    r(
        "spaces.messages.reactions.delete",
        Method::DELETE,
        "spaces/*/messages/*/reactions/*",
        true,
    ),
    r(
        "spaces.messages.reactions.list",
        Method::GET,
        "spaces/*/messages/*/reactions",
        true,
    ),
    // spaces.spaceEvents
    r(
        "spaces.spaceEvents.get",
        Method::GET,
        "spaces/*/spaceEvents/*",
        false,
    ),
    r(
        "spaces.spaceEvents.list",
        Method::GET,
        "spaces/*/spaceEvents",
        false,
    ),
    // users.availability
    r(
        "users.availability.get",
        Method::GET,
        "users/*/availability",
        false,
    ),
    r(
        "users.availability.markAsActive",
        Method::POST,
        "users/*/availability:markAsActive",
        false,
    ),
    r(
        "users.availability.markAsAway",
        Method::POST,
        "users/*/availability:markAsAway",
        false,
    ),
    r(
        "users.availability.markAsDoNotDisturb",
        Method::POST,
        "users/*/availability:markAsDoNotDisturb",
        false,
    ),
    r(
        "users.availability.patch",
        Method::PATCH,
        "users/*/availability",
        false,
    ),
    // users.sections
    r(
        "users.sections.create",
        Method::POST,
        "users/*/sections",
        false,
    ),
    r(
        "users.sections.delete",
        Method::DELETE,
        "users/*/sections/*",
        false,
    ),
    r(
        "users.sections.list",
        Method::GET,
        "users/*/sections",
        false,
    ),
    r(
        "users.sections.patch",
        Method::PATCH,
        "users/*/sections/*",
        false,
    ),
    r(
        "users.sections.position",
        Method::POST,
        "users/*/sections/*:position",
        false,
    ),
    r(
        "users.sections.items.list",
        Method::GET,
        "users/*/sections/*/items",
        false,
    ),
    r(
        "users.sections.items.move",
        Method::POST,
        "users/*/sections/*/items/*:move",
        false,
    ),
    // users.spaces
    r(
        "users.spaces.getSpaceReadState",
        Method::GET,
        "users/*/spaces/*/spaceReadState",
        false,
    ),
    r(
        "users.spaces.updateSpaceReadState",
        Method::PATCH,
        "users/*/spaces/*/spaceReadState",
        false,
    ),
    r(
        "users.spaces.spaceNotificationSetting.get",
        Method::GET,
        "users/*/spaces/*/spaceNotificationSetting",
        false,
    ),
    r(
        "users.spaces.spaceNotificationSetting.patch",
        Method::PATCH,
        "users/*/spaces/*/spaceNotificationSetting",
        false,
    ),
    r(
        "users.spaces.threads.getThreadReadState",
        Method::GET,
        "users/*/spaces/*/threads/*/threadReadState",
        false,
    ),
];

/// The ids (`spaces.messages.create`, ...) of the methods the fake implements.
pub fn implemented_methods() -> impl Iterator<Item = &'static str> {
    ROUTES.iter().filter(|r| r.implemented).map(|r| r.id)
}

/// The ids of the methods the fake answers with 501 UNIMPLEMENTED (naming the method).
pub fn unimplemented_methods() -> impl Iterator<Item = &'static str> {
    ROUTES.iter().filter(|r| !r.implemented).map(|r| r.id)
}

/// A matched route and the path's segments that `*` and `**` stood for.
#[derive(Debug)]
pub(crate) struct Matched {
    pub route: &'static Route,
    pub args: Vec<String>,
}

/// Finds the route of `method` `path` (`path` is after `v1/`, percent-decoded).
pub(crate) fn find(method: &Method, path: &str) -> Option<Matched> {
    ROUTES
        .iter()
        .filter(|r| r.method == *method)
        .find_map(|route| matches(route.pattern, path).map(|args| Matched { route, args }))
}

/// Matches `path` against `pattern`; the segments of `*` (and the rest, for `**`).
fn matches(pattern: &str, path: &str) -> Option<Vec<String>> {
    let (pattern, verb) = split_verb(pattern);
    let (path, path_verb) = split_verb(path);
    if verb != path_verb {
        return None;
    }
    let mut args = Vec::new();
    let mut segments = path.split('/');
    for want in pattern.split('/') {
        if want == "**" {
            let rest: Vec<&str> = segments.by_ref().collect();
            if rest.is_empty() || rest.iter().any(|s| s.is_empty()) {
                return None;
            }
            args.push(rest.join("/"));
            return Some(args);
        }
        let got = segments.next()?;
        if want == "*" {
            if got.is_empty() {
                return None;
            }
            args.push(got.to_owned());
        } else if want != got {
            return None;
        }
    }
    segments.next().is_none().then_some(args)
}

/// `spaces/A/messages/B:replaceCards` -> (`spaces/A/messages/B`, Some(`replaceCards`)).
/// Only the last segment may carry a verb.
fn split_verb(path: &str) -> (&str, Option<&str>) {
    let last = path.rfind('/').map_or(0, |i| i + 1);
    match path[last..].find(':') {
        Some(i) => (&path[..last + i], Some(&path[last + i + 1..])),
        None => (path, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_unique_and_found() {
        for route in &ROUTES {
            let sample = route.pattern.replace("**", "x/y").replace('*', "x");
            let found = find(&route.method, &sample).unwrap();
            assert_eq!(found.route.id, route.id, "{sample}");
        }
        let m = find(&Method::POST, "spaces/A/messages/B.C:replaceCards").unwrap();
        assert_eq!(m.route.id, "spaces.messages.replaceCards");
        assert_eq!(m.args, ["A", "B.C"]);
        assert!(find(&Method::GET, "spaces/A/bogus").is_none());
        assert!(find(&Method::GET, "spaces//messages").is_none());
        assert_eq!(
            find(&Method::GET, "spaces:search").unwrap().route.id,
            "spaces.search"
        );
        assert_eq!(
            implemented_methods().count() + unimplemented_methods().count(),
            55
        );
    }
}
