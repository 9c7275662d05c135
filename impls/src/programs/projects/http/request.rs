//! Reading a request head (RFC 9112 sections 2 and 3): the request line and the header
//! fields up to the empty line, from the bytes a connection has gathered so far. The course's
//! step 【2】 解析客户端发送的请求 (parse the request). `httparse` reads the grammar; this file
//! decides what the server makes of it: wait for more, a request, or an error status.

use super::response::Status;

/// The longest request line accepted; past it, 414 (RFC 9112 section 3: at least 8000
/// octets should be supported).
pub const MAX_LINE: usize = 8 * 1024;

/// The longest head (request line and fields) accepted; past it, 431 (RFC 6585).
pub const MAX_HEAD: usize = 16 * 1024;

/// Header fields in one request, at most; past it, 431.
const MAX_FIELDS: usize = 64;

/// A request head, read whole.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// The connection stays open after the response: HTTP/1.1 unless `Connection: close`;
    /// HTTP/1.0 never (this server does not do 1.0 keep-alive).
    pub keep_alive: bool,
    /// A body follows the head (`Content-Length` > 0 or `Transfer-Encoding`). The server
    /// reads no bodies: it answers, then closes, so the body is never taken for a request.
    pub has_body: bool,
    /// The bytes of the head, empty line included: what to drop from the buffer.
    pub len: usize,
}

/// What the bytes gathered so far are.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Not a whole head yet: wait for more bytes (a request split over many packets).
    Incomplete,
    Request(Request),
    /// Not a request this server can answer: answer with this status, then close.
    Bad(Status),
}

/// Reads the head at the start of `buf`.
pub fn parse(buf: &[u8]) -> Parsed {
    let mut fields = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let mut request = httparse::Request::new(&mut fields);
    let len = match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => {
            return too_long(buf).map_or(Parsed::Incomplete, Parsed::Bad)
        }
        Err(httparse::Error::Version) => return Parsed::Bad(Status::VERSION_NOT_SUPPORTED),
        Err(httparse::Error::TooManyHeaders) => return Parsed::Bad(Status::HEADERS_TOO_LARGE),
        Err(_) => return Parsed::Bad(Status::BAD_REQUEST),
    };
    if let Some(status) = too_long(&buf[..len]) {
        return Parsed::Bad(status);
    }
    let (Some(method), Some(target), Some(minor)) = (request.method, request.path, request.version)
    else {
        return Parsed::Bad(Status::BAD_REQUEST);
    };
    let field = |name: &'static str| {
        request
            .headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    // RFC 9112 section 3.2: an HTTP/1.1 request without exactly one Host is a 400.
    if minor == 1 && field("host").count() != 1 {
        return Parsed::Bad(Status::BAD_REQUEST);
    }
    let close = field("connection").any(|v| v.split(',').any(|t| t.trim() == "close"));
    let mut lengths = field("content-length");
    let has_body = match lengths.next() {
        None => false,
        Some(n) => match n.parse::<u64>() {
            Ok(n) => n > 0,
            Err(_) => return Parsed::Bad(Status::BAD_REQUEST),
        },
    } || field("transfer-encoding").next().is_some();
    Parsed::Request(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive: minor == 1 && !close,
        has_body,
        len,
    })
}

/// The status for a head that has outgrown the limits, if it has: a request line without its
/// end past [`MAX_LINE`] (414), or a head without its empty line past [`MAX_HEAD`] (431).
fn too_long(head: &[u8]) -> Option<Status> {
    let line = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    if line > MAX_LINE {
        Some(Status::URI_TOO_LONG)
    } else if head.len() > MAX_HEAD {
        Some(Status::HEADERS_TOO_LARGE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> Request {
        match parse(text.as_bytes()) {
            Parsed::Request(r) => r,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn status(bytes: &[u8]) -> u16 {
        match parse(bytes) {
            Parsed::Bad(s) => s.code,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_whole_head_is_a_request_and_http_1_1_keeps_the_connection() {
        let text = "GET /index.html HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\nGET /next";
        let r = request(text);
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("GET", "/index.html")
        );
        assert!(r.keep_alive && !r.has_body);
        assert_eq!(&text[r.len..], "GET /next");
    }

    #[test]
    fn connection_close_and_http_1_0_close() {
        assert!(
            !request("GET / HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, Close\r\n\r\n")
                .keep_alive
        );
        assert!(!request("GET / HTTP/1.0\r\n\r\n").keep_alive);
    }

    #[test]
    fn every_prefix_of_a_request_is_incomplete() {
        let text = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        for end in 0..text.len() {
            assert_eq!(parse(&text[..end]), Parsed::Incomplete, "{end}");
        }
    }

    #[test]
    fn what_is_not_http_is_a_400_and_other_versions_a_505() {
        assert_eq!(status(b"hello there\r\n\r\n"), 400);
        assert_eq!(status(b"\x00\x01\x02\x03\r\n\r\n"), 400);
        assert_eq!(status(b"GET / HTTP/1.1\r\n\r\n"), 400, "no Host");
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n"),
            400
        );
        assert_eq!(status(b"GET / HTTP/2.0\r\n\r\n"), 505);
    }

    #[test]
    fn a_body_is_noticed() {
        assert!(request("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").has_body);
        assert!(
            request("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").has_body
        );
    }

    #[test]
    fn oversized_lines_and_heads_are_refused_before_they_end() {
        let line = format!("GET /{} HTTP/1.1", "a".repeat(MAX_LINE));
        assert_eq!(status(line.as_bytes()), 414);
        let head = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n",
            "a".repeat(MAX_HEAD)
        );
        assert_eq!(status(head.as_bytes()), 431);
        let many: String = (0..MAX_FIELDS + 1)
            .map(|i| format!("X{i}: y\r\n"))
            .collect();
        assert_eq!(
            status(format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n").as_bytes()),
            431
        );
    }
}
