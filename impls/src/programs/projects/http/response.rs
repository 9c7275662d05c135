//! Writing a response (RFC 9112 section 4, RFC 9110): the status line, the header fields and
//! the body, as bytes. The course's step 【4】 将数据内容形成http响应格式返回给浏览器 (shape the
//! content as an HTTP response).

use std::time::SystemTime;

/// A status code and its reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub code: u16,
    pub reason: &'static str,
}

impl Status {
    pub const OK: Status = Status::new(200, "OK");
    pub const BAD_REQUEST: Status = Status::new(400, "Bad Request");
    pub const FORBIDDEN: Status = Status::new(403, "Forbidden");
    pub const NOT_FOUND: Status = Status::new(404, "Not Found");
    pub const METHOD_NOT_ALLOWED: Status = Status::new(405, "Method Not Allowed");
    pub const URI_TOO_LONG: Status = Status::new(414, "URI Too Long");
    pub const HEADERS_TOO_LARGE: Status = Status::new(431, "Request Header Fields Too Large");
    pub const INTERNAL_ERROR: Status = Status::new(500, "Internal Server Error");
    pub const VERSION_NOT_SUPPORTED: Status = Status::new(505, "HTTP Version Not Supported");

    const fn new(code: u16, reason: &'static str) -> Status {
        Status { code, reason }
    }
}

/// The methods this server answers (the `Allow` of a 405).
pub const ALLOW: &str = "GET, HEAD";

/// A response about to be written.
pub struct Response {
    pub status: Status,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Send the body (not for HEAD: the same fields, no body).
    pub with_body: bool,
    /// Say `Connection: close`: the server closes once this response is sent.
    pub close: bool,
}

impl Response {
    /// A file's content.
    pub fn ok(content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status: Status::OK,
            content_type,
            body,
            with_body: true,
            close: false,
        }
    }

    /// An error, with a small page that says it.
    pub fn error(status: Status) -> Response {
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>{0} {1}</title></head><body><h1>{0} {1}</h1></body></html>\n",
            status.code, status.reason
        );
        Response {
            status,
            content_type: "text/html; charset=utf-8",
            body: page.into_bytes(),
            with_body: true,
            close: false,
        }
    }

    /// The bytes on the wire: `Content-Length` always (the body's, even for HEAD), `Allow`
    /// with a 405, `Date` as an origin server with a clock must (RFC 9110 section 6.6.1).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nDate: {}\r\nServer: conform-http\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
            self.status.code,
            self.status.reason,
            httpdate::fmt_http_date(SystemTime::now()),
            self.content_type,
            self.body.len()
        );
        if self.status == Status::METHOD_NOT_ALLOWED {
            head.push_str(&format!("Allow: {ALLOW}\r\n"));
        }
        if self.close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if self.with_body {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: &Response) -> String {
        String::from_utf8(r.to_bytes()).unwrap()
    }

    #[test]
    fn a_response_has_its_length_type_and_body() {
        let t = text(&Response::ok("text/plain", b"hello".to_vec()));
        assert!(t.starts_with("HTTP/1.1 200 OK\r\n"), "{t}");
        assert!(
            t.contains("\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"),
            "{t}"
        );
        assert!(t.ends_with("\r\n\r\nhello"), "{t}");
        assert!(!t.contains("Connection:"), "{t}");
    }

    #[test]
    fn head_has_the_fields_and_no_body_and_405_says_allow() {
        let mut r = Response::error(Status::METHOD_NOT_ALLOWED);
        r.with_body = false;
        r.close = true;
        let t = text(&r);
        let length = format!("Content-Length: {}\r\n", r.body.len());
        assert!(
            t.contains(&length) && t.contains("Allow: GET, HEAD\r\n"),
            "{t}"
        );
        assert!(t.ends_with("Connection: close\r\n\r\n"), "{t}");
    }
}
