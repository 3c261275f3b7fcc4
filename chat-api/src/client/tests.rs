//! Unit tests of request execution through `ApiRequest`, against wiremock on 127.0.0.1.
