//! The connection under the HTTP layer. actix-http answers a request it cannot parse (a bad
//! request line, an invalid header, a head too large) on its own, with an empty 400 or 431 that
//! never reaches our middleware, so it would go out without the security headers every other
//! answer carries. `GuardedStream` wraps each TCP connection: it follows the requests it reads with
//! a second copy of actix-http's own request decoder, and once that decoder fails (so the real
//! one has failed on the same bytes) it adds the security headers to the refusal it sees written
//! last before the connection closes.
//!
//! The refusal is found without guessing: after a parse error nothing more is read, so the
//! refusal is the last response written, it has no body, and it holds no `HTTP/1.` other than
//! its status line; and none of our own answers lacks `Content-Security-Policy`.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use actix_codec::Decoder;
use actix_http::ServiceConfig;
use actix_http::h1::Codec;
use actix_web::web::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// The security headers as header lines (`name: value\r\n` each), for refusals written below
/// the middleware.
pub fn header_lines(headers: &[(&str, &str)]) -> Arc<[u8]> {
    let mut lines = Vec::new();
    for (name, value) in headers {
        lines.extend_from_slice(name.as_bytes());
        lines.extend_from_slice(b": ");
        lines.extend_from_slice(value.as_bytes());
        lines.extend_from_slice(b"\r\n");
    }
    lines.into()
}

pub struct GuardedStream {
    inner: TcpStream,
    security_headers: Arc<[u8]>,
    /// The bytes read, as far as the shadow decoder has not consumed them.
    shadow: Codec,
    unparsed: BytesMut,
    /// The shadow decoder failed: the HTTP layer is about to write its refusal.
    malformed: bool,
    /// What was written since then, held until the next flush.
    held: BytesMut,
}

impl GuardedStream {
    /// `config` is the worker's (one per worker thread: it carries a clock task).
    pub fn new(inner: TcpStream, security_headers: Arc<[u8]>, config: ServiceConfig) -> Self {
        Self {
            inner,
            security_headers,
            shadow: Codec::new(config),
            unparsed: BytesMut::new(),
            malformed: false,
            held: BytesMut::new(),
        }
    }

    fn follow(&mut self, read: &[u8]) {
        if self.malformed || read.is_empty() {
            return;
        }
        self.unparsed.extend_from_slice(read);
        loop {
            match self.shadow.decode(&mut self.unparsed) {
                Ok(Some(_)) => continue,
                Ok(None) => break,
                Err(_) => {
                    self.malformed = true;
                    self.unparsed = BytesMut::new();
                    break;
                }
            }
        }
    }

    /// Writes what is held, with the security headers added to a refusal at its end.
    fn release(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(at) = refusal_headers_position(&self.held) {
            let tail = self.held.split_off(at);
            self.held.extend_from_slice(&self.security_headers);
            self.held.extend_from_slice(&tail);
        }
        while !self.held.is_empty() {
            let written = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.held))?;
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.held.advance(written);
        }
        Poll::Ready(Ok(()))
    }
}

/// Where header lines go in a refusal that ends `written`: just after its status line, when the
/// last response head in `written` ends it, has no body and no `Content-Security-Policy`.
fn refusal_headers_position(written: &[u8]) -> Option<usize> {
    let start = rfind(written, b"HTTP/1.")?;
    let head = &written[start..];
    let blank_line = find(head, b"\r\n\r\n")?;
    if blank_line + 4 != head.len() {
        return None;
    }
    let lowercase = head.to_ascii_lowercase();
    if find(&lowercase, b"\r\ncontent-security-policy:").is_some() {
        return None;
    }
    Some(start + find(head, b"\r\n")? + 2)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

impl AsyncRead for GuardedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            this.follow(&buf.filled()[before..]);
        }
        polled
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if !this.malformed && this.held.is_empty() {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        }
        this.held.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.release(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.release(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFUSAL: &[u8] =
        b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n";

    #[test]
    fn a_refusal_at_the_end_gets_its_headers_after_the_status_line() {
        assert_eq!(refusal_headers_position(REFUSAL), Some(26));
        let mut earlier =
            b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-security-policy: x\r\n\r\nHTTP/"
                .to_vec();
        let offset = earlier.len();
        earlier.extend_from_slice(REFUSAL);
        assert_eq!(refusal_headers_position(&earlier), Some(offset + 26));
    }

    #[test]
    fn our_own_answers_and_bodies_are_left_alone() {
        let ours = b"HTTP/1.1 400 Bad Request\r\nContent-Security-Policy: x\r\n\r\n";
        assert_eq!(refusal_headers_position(ours), None);
        let with_body = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi";
        assert_eq!(refusal_headers_position(with_body), None);
        assert_eq!(refusal_headers_position(b"no response here"), None);
    }

    #[actix_web::test]
    async fn the_shadow_decoder_fails_where_the_http_layer_does() {
        let mut codec = Codec::default();
        let mut good = BytesMut::from(
            &b"POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nhost: x\r\n\r\n"[..],
        );
        let mut decoded = 0;
        while let Ok(Some(_)) = codec.decode(&mut good) {
            decoded += 1;
        }
        // Two requests and the first one's body (a chunk and its end).
        assert_eq!(decoded, 4);
        let mut bad = BytesMut::from(&b"GET /users?q=\xff HTTP/1.1\r\nhost: x\r\n\r\n"[..]);
        assert!(Codec::default().decode(&mut bad).is_err());
    }
}
