//! A small SMTP server that the tests start, so that mail leaves Gatehouse through lettre over a
//! real SMTP conversation (greeting, EHLO, MAIL, RCPT, DATA, dot-stuffing, pooled connections,
//! refused recipients) instead of a stub transport, and can be read back and decoded.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Shutdown};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Longest line the sink buffers; a client that sends more without a line break is cut off
/// rather than allowed to grow the test process without bound.
const MAX_LINE: u64 = 1 << 20;
const POLL_INTERVAL: Duration = Duration::from_millis(20);
const WAIT_LIMIT: Duration = Duration::from_secs(10);
/// A dropped sink frees its port at once, but the port a test brings a sink back on may have
/// been picked by `unused_port` and briefly taken by another test's ephemeral socket meanwhile.
const REBIND_LIMIT: Duration = Duration::from_secs(2);

/// How the sink answers RCPT TO, which is where a real server refuses a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkBehaviour {
    Accept,
    /// `550 5.1.1`: lettre reports an error with `is_permanent()`.
    RejectPermanently,
    /// `451 4.3.0`: lettre reports an error with `is_transient()`.
    RejectTemporarily,
}

/// A running SMTP server on 127.0.0.1. Dropping it stops the server and cuts every open
/// connection, as an SMTP server going down would.
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    accept_task: JoinHandle<()>,
}

struct Shared {
    behaviour: Mutex<SinkBehaviour>,
    messages: Mutex<Vec<ReceivedMessage>>,
    attempts: AtomicUsize,
    /// Numbers the connections; also lets the self-tests see whether lettre reused one.
    connections: AtomicUsize,
    /// Held here rather than by the accept task so that dropping the sink closes it at once: an
    /// aborted task is only dropped when the runtime next gets to it, and a test that stops the
    /// sink expects the very next connection attempt to be refused.
    listener: Mutex<Option<TcpListener>>,
    /// Second handles on the open connections, shut down on drop for the same reason, so that a
    /// pooled connection dies with the server instead of a moment later.
    open: Mutex<HashMap<usize, std::net::TcpStream>>,
}

/// Poisoning would only mean that another test thread panicked; the data is still sound.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_on(0).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let deadline = Instant::now() + REBIND_LIMIT;
        let listener = loop {
            match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
                Ok(listener) => break listener,
                Err(err)
                    if err.kind() == std::io::ErrorKind::AddrInUse && Instant::now() < deadline =>
                {
                    tokio::time::sleep(POLL_INTERVAL).await;
                }
                Err(err) => panic!("the SMTP sink cannot listen on 127.0.0.1:{port}: {err}"),
            }
        };
        let port = listener
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        let shared = Arc::new(Shared {
            behaviour: Mutex::new(SinkBehaviour::Accept),
            messages: Mutex::new(Vec::new()),
            attempts: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            listener: Mutex::new(Some(listener)),
            open: Mutex::new(HashMap::new()),
        });
        let accept_task = tokio::spawn(accept_loop(Arc::clone(&shared)));
        SmtpSink {
            port,
            shared,
            accept_task,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_behaviour(&self, behaviour: SinkBehaviour) {
        *lock(&self.shared.behaviour) = behaviour;
    }

    pub fn messages(&self) -> Vec<ReceivedMessage> {
        lock(&self.shared.messages).clone()
    }

    pub async fn wait_for_messages(&self, count: usize) -> Vec<ReceivedMessage> {
        self.wait_for_messages_within(count, WAIT_LIMIT).await
    }

    /// The self-test of the timeout would otherwise take the full limit.
    async fn wait_for_messages_within(
        &self,
        count: usize,
        limit: Duration,
    ) -> Vec<ReceivedMessage> {
        let deadline = Instant::now() + limit;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            if Instant::now() >= deadline {
                panic!(
                    "expected at least {count} message(s) at the SMTP sink on port {} within {:?}, \
                     got {} ({} MAIL FROM attempt(s)); subjects so far: {:?}",
                    self.port,
                    limit,
                    messages.len(),
                    self.attempts(),
                    messages
                        .iter()
                        .map(|m| m.subject.as_str())
                        .collect::<Vec<_>>(),
                );
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    pub fn attempts(&self) -> usize {
        self.shared.attempts.load(Ordering::SeqCst)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        lock(&self.shared.listener).take();
        for (_, stream) in lock(&self.shared.open).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // The connection tasks live in a JoinSet owned by the accept task, so this frees them
        // all.
        self.accept_task.abort();
    }
}

/// A free port on 127.0.0.1 with nothing listening, for "the SMTP server is down".
pub fn unused_port() -> u16 {
    std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("bind an ephemeral port on 127.0.0.1")
        .port()
}

async fn accept_loop(shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let accept = std::future::poll_fn(|cx| match lock(&shared.listener).as_ref() {
            Some(listener) => listener.poll_accept(cx).map(Some),
            None => Poll::Ready(None),
        });
        tokio::select! {
            accepted = accept => match accepted {
                None => return,
                Some(Ok((stream, _))) => {
                    connections.spawn(serve_connection(stream, Arc::clone(&shared)));
                }
                // Accept errors (a connection reset before it was accepted, running out of file
                // descriptors) are transient; the pause keeps a persistent one from spinning.
                Some(Err(_)) => tokio::time::sleep(POLL_INTERVAL).await,
            },
            // Reaps finished connections so a long test does not accumulate them.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let Ok((stream, _registration)) = Registration::new(stream, &shared) else {
        return;
    };
    // An error here only means the client went away mid-conversation, which must not take the
    // sink down; whatever it had not finished sending is simply not a message.
    let _ = Session::new(shared).run(stream).await;
}

/// Keeps a second handle on a connection in `Shared::open` for as long as it is served.
struct Registration {
    shared: Arc<Shared>,
    id: usize,
}

impl Registration {
    fn new(stream: TcpStream, shared: &Arc<Shared>) -> std::io::Result<(TcpStream, Self)> {
        let stream = stream.into_std()?;
        let handle = stream.try_clone()?;
        let id = shared.connections.fetch_add(1, Ordering::SeqCst);
        lock(&shared.open).insert(id, handle);
        let registration = Registration {
            shared: Arc::clone(shared),
            id,
        };
        Ok((TcpStream::from_std(stream)?, registration))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.shared.open).remove(&self.id);
    }
}

/// One SMTP conversation, which may carry several mail transactions (lettre pools connections).
struct Session {
    shared: Arc<Shared>,
    envelope_from: Option<String>,
    recipients: Vec<String>,
}

impl Session {
    fn new(shared: Arc<Shared>) -> Self {
        Session {
            shared,
            envelope_from: None,
            recipients: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.envelope_from = None;
        self.recipients.clear();
    }

    async fn run(mut self, stream: TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        let mut line = Vec::new();
        reply(&mut write, "220 sink ESMTP").await?;
        loop {
            if !read_line(&mut read, &mut line).await? {
                return Ok(());
            }
            let text = String::from_utf8_lossy(strip_line_ending(&line)).into_owned();
            let (verb, argument) = match text.split_once(' ') {
                Some((verb, argument)) => (verb.to_ascii_uppercase(), argument.trim()),
                None => (text.to_ascii_uppercase(), ""),
            };
            match verb.as_str() {
                "EHLO" => {
                    self.reset();
                    // No STARTTLS and no AUTH: lettre would try to use them, and the tests
                    // speak plain SMTP without credentials.
                    reply(
                        &mut write,
                        "250-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES",
                    )
                    .await?;
                }
                "HELO" => {
                    self.reset();
                    reply(&mut write, "250 sink").await?;
                }
                "MAIL" => {
                    let Some(path) = strip_prefix_ignore_case(argument, "FROM:") else {
                        reply(&mut write, "501 5.5.4 Syntax: MAIL FROM:<address>").await?;
                        continue;
                    };
                    if self.envelope_from.is_some() {
                        reply(&mut write, "503 5.5.1 Nested MAIL command").await?;
                        continue;
                    }
                    // Parameters such as BODY=8BITMIME or SMTPUTF8 are accepted and ignored.
                    self.envelope_from = Some(parse_path(path));
                    self.shared.attempts.fetch_add(1, Ordering::SeqCst);
                    reply(&mut write, "250 2.1.0 OK").await?;
                }
                "RCPT" => {
                    let Some(path) = strip_prefix_ignore_case(argument, "TO:") else {
                        reply(&mut write, "501 5.5.4 Syntax: RCPT TO:<address>").await?;
                        continue;
                    };
                    if self.envelope_from.is_none() {
                        reply(&mut write, "503 5.5.1 Need MAIL before RCPT").await?;
                        continue;
                    }
                    let behaviour = *lock(&self.shared.behaviour);
                    match behaviour {
                        SinkBehaviour::Accept => {
                            self.recipients.push(parse_path(path));
                            reply(&mut write, "250 2.1.5 OK").await?;
                        }
                        SinkBehaviour::RejectPermanently => {
                            reply(&mut write, "550 5.1.1 Mailbox unavailable").await?;
                        }
                        SinkBehaviour::RejectTemporarily => {
                            reply(&mut write, "451 4.3.0 Try again later").await?;
                        }
                    }
                }
                "DATA" => {
                    let Some(envelope_from) = self.envelope_from.clone() else {
                        reply(&mut write, "503 5.5.1 Need MAIL before DATA").await?;
                        continue;
                    };
                    if self.recipients.is_empty() {
                        reply(&mut write, "554 5.5.1 No valid recipients").await?;
                        continue;
                    }
                    reply(&mut write, "354 End data with <CR><LF>.<CR><LF>").await?;
                    let Some(data) = read_data(&mut read, &mut line).await? else {
                        return Ok(());
                    };
                    let message = ReceivedMessage::parse(
                        envelope_from,
                        std::mem::take(&mut self.recipients),
                        String::from_utf8_lossy(&data).into_owned(),
                    );
                    lock(&self.shared.messages).push(message);
                    self.reset();
                    reply(&mut write, "250 2.0.0 queued").await?;
                }
                "RSET" => {
                    self.reset();
                    reply(&mut write, "250 2.0.0 OK").await?;
                }
                "NOOP" => reply(&mut write, "250 2.0.0 OK").await?,
                "QUIT" => {
                    reply(&mut write, "221 2.0.0 Bye").await?;
                    return Ok(());
                }
                _ => reply(&mut write, "502 5.5.2 Command not implemented").await?,
            }
        }
    }
}

async fn reply(write: &mut OwnedWriteHalf, text: &str) -> std::io::Result<()> {
    write.write_all(format!("{text}\r\n").as_bytes()).await
}

/// Reads one line, line break included, into `line`. False when the client is gone: at the end
/// of the stream, mid-line, or after a line too long to be SMTP.
async fn read_line<R>(read: &mut R, line: &mut Vec<u8>) -> std::io::Result<bool>
where
    R: AsyncBufRead + Unpin,
{
    line.clear();
    read.take(MAX_LINE).read_until(b'\n', line).await?;
    Ok(line.ends_with(b"\n"))
}

/// The message after DATA, up to the line that is a lone dot, with dot-stuffing undone and the
/// line breaks kept as sent. None when the client left before the end.
async fn read_data<R>(read: &mut R, line: &mut Vec<u8>) -> std::io::Result<Option<Vec<u8>>>
where
    R: AsyncBufRead + Unpin,
{
    let mut data = Vec::new();
    loop {
        if !read_line(read, line).await? {
            return Ok(None);
        }
        if strip_line_ending(line) == b"." {
            return Ok(Some(data));
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(line);
        data.extend_from_slice(unstuffed);
    }
}

fn strip_line_ending(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text[prefix.len()..].trim_start())
}

/// The address of `<address> PARAMETERS`, without brackets; `<>` (a bounce) gives "".
fn parse_path(path: &str) -> String {
    match path.strip_prefix('<') {
        Some(rest) => rest.split_once('>').map_or(rest, |(address, _)| address),
        None => path.split_whitespace().next().unwrap_or(""),
    }
    .to_owned()
}

/// A message the sink accepted.
#[derive(Debug, Clone)]
pub struct ReceivedMessage {
    pub envelope_from: String,
    /// RCPT TO addresses, without angle brackets.
    pub recipients: Vec<String>,
    /// The DATA, dot-unstuffed, CRLF line endings kept.
    pub raw: String,
    /// Decoded (RFC 2047).
    pub subject: String,
    /// As sent, angle brackets included.
    pub message_id: String,
    /// The From header as sent.
    pub from: String,
    /// The To header as sent.
    pub to: String,
    /// The text/plain body, transfer encoding undone.
    pub text: Option<String>,
    /// The text/html body, transfer encoding undone.
    pub html: Option<String>,
}

impl ReceivedMessage {
    fn parse(envelope_from: String, recipients: Vec<String>, raw: String) -> Self {
        let (subject, text, html) = decode(&raw);
        let mut message = ReceivedMessage {
            envelope_from,
            recipients,
            raw,
            subject,
            message_id: String::new(),
            from: String::new(),
            to: String::new(),
            text,
            html,
        };
        message.message_id = message.header("Message-ID").unwrap_or_default();
        message.from = message.header("From").unwrap_or_default();
        message.to = message.header("To").unwrap_or_default();
        message
    }

    /// The raw value (unfolded, trimmed, encoded words left as they are) of the first header
    /// with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_fields()
            .into_iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// Every header name in order, as written, so that a test can see a header that user input
    /// smuggled in with a line break.
    pub fn header_names(&self) -> Vec<String> {
        self.header_fields()
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// The http:// and https:// URLs of the text body, in order, without the punctuation that
    /// ends the sentence or closes the bracket around them.
    pub fn links(&self) -> Vec<String> {
        self.text.as_deref().map(find_links).unwrap_or_default()
    }

    /// Read from the raw message rather than through mail-parser, because header-injection
    /// tests must see the header block exactly as it went over the wire.
    fn header_fields(&self) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in self.raw.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                // Unfolding removes only the line break; the whitespace stays (RFC 5322 2.2.3).
                if let Some((_, value)) = fields.last_mut() {
                    value.push_str(line);
                }
            } else if let Some((name, value)) = line.split_once(':') {
                fields.push((name.trim_end().to_owned(), value.to_owned()));
            }
        }
        for (_, value) in &mut fields {
            *value = value.trim().to_owned();
        }
        fields
    }
}

/// The decoded subject, text/plain body and text/html body: everything the sink needs from
/// mail-parser, kept in one place because its API changed completely between 0.11 and 1.
fn decode(raw: &str) -> (String, Option<String>, Option<String>) {
    let Some(message) = mail_parser::MessageParser::default().parse(raw.as_bytes()) else {
        return (String::new(), None, None);
    };
    let subject = message.subject().unwrap_or_default().to_owned();
    // body_text/body_html would convert HTML to text (and back) when one version is missing;
    // the tests need to see which parts were actually sent.
    let text = message
        .text_body
        .iter()
        .filter_map(|&id| message.part(id))
        .find_map(|part| match &part.body {
            mail_parser::PartType::Text(text) => Some(text.to_string()),
            _ => None,
        });
    let html = message
        .html_body
        .iter()
        .filter_map(|&id| message.part(id))
        .find_map(|part| match &part.body {
            mail_parser::PartType::Html(html) => Some(html.to_string()),
            _ => None,
        });
    (subject, text, html)
}

fn find_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = [rest.find("http://"), rest.find("https://")]
        .into_iter()
        .flatten()
        .min()
    {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(candidate.len());
        let link = candidate[..end]
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '>', '\'', '"']);
        if link
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty())
        {
            links.push(link.to_owned());
        }
        rest = &candidate[end..];
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    use lettre::message::{Mailbox, MultiPart, header::ContentType};
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    type Transport = AsyncSmtpTransport<Tokio1Executor>;

    fn transport(url: &str) -> Transport {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .expect("a plain smtp:// URL")
            .build()
    }

    fn mailbox(text: &str) -> Mailbox {
        text.parse().expect("a valid mailbox")
    }

    fn plain_message(subject: &str, body: &str) -> Message {
        Message::builder()
            .from(mailbox("Gatehouse <noreply@gatehouse.test>"))
            .to(mailbox("Ada Lovelace <ada@example.com>"))
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .expect("a valid message")
    }

    #[tokio::test]
    async fn multipart_message_arrives_decoded() {
        let sink = SmtpSink::start().await;
        let url = "https://gatehouse.example.com/password-reset/confirm?token=Zx81kQ0-aB3_cD5eF7gH9iJ1kL3mN5oP7qR9&lang=pt-BR";
        assert!(url.len() > 80);
        let text = format!(
            "Olá Ada,\n\nPara redefinir sua senha, abra {url}.\n\nSe não foi você, ignore este e-mail.\n"
        );
        let html = format!("<p>Olá Ada,</p><p><a href=\"{url}\">Redefinir senha</a></p>");
        let message = Message::builder()
            .from(mailbox("Gatehouse <noreply@gatehouse.test>"))
            .to(mailbox("Ada Lovelace <ada@example.com>"))
            .subject("Redefinição de senha")
            .message_id(None)
            .multipart(MultiPart::alternative_plain_html(
                text.clone(),
                html.clone(),
            ))
            .expect("a valid message");

        transport(&sink.url())
            .send(message)
            .await
            .expect("the sink accepts the message");

        let received = sink.wait_for_messages(1).await.remove(0);
        assert_eq!(received.envelope_from, "noreply@gatehouse.test");
        assert_eq!(received.recipients, ["ada@example.com"]);
        assert_eq!(received.subject, "Redefinição de senha");
        assert!(
            received.header("subject").unwrap().starts_with("=?utf-8?"),
            "the subject went out RFC 2047 encoded: {:?}",
            received.header("Subject")
        );
        // Proves the decoding below had soft line breaks to undo.
        assert!(
            received
                .raw
                .contains("Content-Transfer-Encoding: quoted-printable"),
            "{}",
            received.raw
        );
        assert!(received.raw.contains("=\r\n"), "{}", received.raw);
        assert!(
            !received.raw.contains(url),
            "the URL was wrapped on the wire"
        );

        assert_eq!(
            received.text.as_deref(),
            Some(text.replace('\n', "\r\n").as_str())
        );
        assert_eq!(received.html.as_deref(), Some(html.as_str()));
        assert_eq!(received.links(), [url]);
        assert!(received.from.contains("<noreply@gatehouse.test>"));
        assert!(received.to.contains("<ada@example.com>"));
        assert!(
            received.message_id.starts_with('<') && received.message_id.ends_with('>'),
            "{:?}",
            received.message_id
        );
        assert_eq!(
            received.header("MESSAGE-ID"),
            Some(received.message_id.clone())
        );
        let names = received.header_names();
        for name in [
            "From",
            "To",
            "Subject",
            "Message-ID",
            "Date",
            "Content-Type",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        assert_eq!(sink.attempts(), 1);
    }

    #[tokio::test]
    async fn permanent_rejection_is_a_permanent_lettre_error() {
        let sink = SmtpSink::start().await;
        sink.set_behaviour(SinkBehaviour::RejectPermanently);

        let err = transport(&sink.url())
            .send(plain_message("Hello", "Hello"))
            .await
            .expect_err("the recipient is refused");

        assert!(err.is_permanent(), "{err:?}");
        assert!(!err.is_transient(), "{err:?}");
        assert_eq!(
            err.status().map(|code| code.to_string()).as_deref(),
            Some("550")
        );
        assert!(sink.messages().is_empty());
        assert_eq!(sink.attempts(), 1);
    }

    #[tokio::test]
    async fn temporary_rejection_is_transient_and_a_retry_goes_through() {
        let sink = SmtpSink::start().await;
        sink.set_behaviour(SinkBehaviour::RejectTemporarily);
        let transport = transport(&sink.url());

        let err = transport
            .send(plain_message("First try", "Hello"))
            .await
            .expect_err("the recipient is deferred");
        assert!(err.is_transient(), "{err:?}");
        assert!(!err.is_permanent(), "{err:?}");
        assert_eq!(
            err.status().map(|code| code.to_string()).as_deref(),
            Some("451")
        );
        assert!(sink.messages().is_empty());

        sink.set_behaviour(SinkBehaviour::Accept);
        transport
            .send(plain_message("Second try", "Hello"))
            .await
            .expect("accepted once the sink accepts again");
        let messages = sink.wait_for_messages(1).await;
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].subject, "Second try");
        assert_eq!(sink.attempts(), 2);
    }

    #[tokio::test]
    async fn nothing_listening_is_a_connection_error() {
        let err = transport(&format!("smtp://127.0.0.1:{}", unused_port()))
            .send(plain_message("Hello", "Hello"))
            .await
            .expect_err("nothing listens on the port");

        // lettre has no is_connection(): a refused connection is none of the SMTP kinds, and
        // only the io::Error in the source chain says what happened.
        assert!(!err.is_permanent() && !err.is_transient(), "{err:?}");
        assert!(
            !err.is_response() && !err.is_client() && !err.is_timeout(),
            "{err:?}"
        );
        assert!(err.status().is_none());
        assert!(err.to_string().starts_with("Connection error"), "{err}");
        assert_eq!(
            io_error_kind(&err),
            Some(std::io::ErrorKind::ConnectionRefused)
        );
    }

    fn io_error_kind(err: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
        let mut source = err.source();
        while let Some(err) = source {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                return Some(io.kind());
            }
            source = err.source();
        }
        None
    }

    #[tokio::test]
    async fn pooled_transport_reuses_a_connection_and_opens_more_in_parallel() {
        let sink = SmtpSink::start().await;
        let transport = transport(&sink.url());

        transport.send(plain_message("One", "first")).await.unwrap();
        // lettre hands a used connection back to its pool from a spawned task, so a send right
        // after another one opens a new connection; the pause lets the first one be parked.
        tokio::time::sleep(Duration::from_millis(100)).await;
        transport
            .send(plain_message("Two", "second"))
            .await
            .unwrap();

        let messages = sink.wait_for_messages(2).await;
        let subjects: Vec<_> = messages.iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(subjects, ["One", "Two"]);
        // lettre always ends DATA with CRLF.CRLF, so a body without a final line break gets one.
        assert_eq!(messages[1].text.as_deref(), Some("second\r\n"));
        // lettre adds a Message-ID only when asked to with .message_id(None).
        assert_eq!(messages[1].message_id, "");
        assert_eq!(messages[1].html, None);
        assert_eq!(sink.attempts(), 2);
        assert_eq!(sink.shared.connections.load(Ordering::SeqCst), 1);

        let (a, b, c) = tokio::join!(
            transport.send(plain_message("Three", "concurrent")),
            transport.send(plain_message("Four", "concurrent")),
            transport.send(plain_message("Five", "concurrent")),
        );
        a.and(b).and(c).expect("concurrent sends are accepted");
        assert_eq!(sink.wait_for_messages(5).await.len(), 5);
        assert!(sink.shared.connections.load(Ordering::SeqCst) >= 3);
    }

    #[tokio::test]
    async fn dot_stuffed_lines_round_trip() {
        let sink = SmtpSink::start().await;
        let body = "first\r\n.leading dot\r\n.\r\n..two dots\r\nlast\r\n";

        transport(&sink.url())
            .send(plain_message("Dots", body))
            .await
            .unwrap();

        let received = sink.wait_for_messages(1).await.remove(0);
        assert!(received.raw.contains(body), "{:?}", received.raw);
        // lettre writes CRLF.CRLF after the body even when the body already ends in CRLF, so
        // every such message arrives with one empty line more than it was built with.
        assert_eq!(received.text, Some(format!("{body}\r\n")));
    }

    #[tokio::test]
    async fn sink_comes_back_on_the_same_port() {
        let sink = SmtpSink::start().await;
        let port = sink.port();
        let transport = transport(&sink.url());
        transport.send(plain_message("Before", "up")).await.unwrap();
        assert_eq!(sink.wait_for_messages(1).await.len(), 1);

        drop(sink);
        let err = transport
            .send(plain_message("While down", "down"))
            .await
            .expect_err("the server is gone, and so is the pooled connection");
        assert_eq!(
            io_error_kind(&err),
            Some(std::io::ErrorKind::ConnectionRefused),
            "{err:?}"
        );

        let sink = SmtpSink::start_on(port).await;
        assert_eq!(sink.port(), port);
        transport.send(plain_message("After", "up")).await.unwrap();
        let messages = sink.wait_for_messages(1).await;
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].subject, "After");
    }

    #[tokio::test]
    #[should_panic(expected = "expected at least 1 message(s)")]
    async fn waiting_for_mail_that_never_comes_fails_clearly() {
        SmtpSink::start()
            .await
            .wait_for_messages_within(1, Duration::from_millis(100))
            .await;
    }

    /// What lettre never does: out-of-order commands, unknown verbs, folded headers written by
    /// hand, and a client that vanishes in the middle of DATA.
    #[tokio::test]
    async fn raw_protocol_edge_cases() {
        let sink = SmtpSink::start().await;

        let mut client = RawClient::connect(sink.port()).await;
        assert_eq!(client.line().await, "220 sink ESMTP");
        let ehlo = client.command("EHLO test.local").await;
        assert!(
            ehlo.contains("8BITMIME") && ehlo.contains("SMTPUTF8"),
            "{ehlo}"
        );
        assert!(
            !ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"),
            "{ehlo}"
        );
        assert!(client.command("VRFY root").await.starts_with("502 "));
        assert!(
            client
                .command("RCPT TO:<a@example.com>")
                .await
                .starts_with("503 ")
        );
        assert!(client.command("DATA").await.starts_with("503 "));
        assert!(client.command("NOOP").await.starts_with("250 "));
        assert!(
            client
                .command("mail from:<> BODY=8BITMIME SMTPUTF8")
                .await
                .starts_with("250 ")
        );
        assert!(client.command("DATA").await.starts_with("554 "));
        assert!(client.command("RSET").await.starts_with("250 "));
        assert!(client.command("HELO test.local").await.starts_with("250 "));
        assert!(
            client
                .command("MAIL FROM:<bounce@example.com>")
                .await
                .starts_with("250 ")
        );
        assert!(
            client
                .command("RCPT TO:<one@example.com>")
                .await
                .starts_with("250 ")
        );
        assert!(
            client
                .command("RCPT TO: <two@example.com> NOTIFY=NEVER")
                .await
                .starts_with("250 ")
        );
        assert!(client.command("DATA").await.starts_with("354 "));
        let data = "Subject: Folded\r\n =?utf-8?q?caf=C3=A9?=\r\nX-Note: a\r\n\tb\r\n\r\n..hidden\r\n.\r\n";
        assert!(client.command(data.trim_end()).await.starts_with("250 "));
        assert!(client.command("QUIT").await.starts_with("221 "));

        let received = sink.wait_for_messages(1).await.remove(0);
        assert_eq!(received.envelope_from, "bounce@example.com");
        assert_eq!(received.recipients, ["one@example.com", "two@example.com"]);
        assert_eq!(received.subject, "Folded café");
        assert_eq!(received.header("x-note").as_deref(), Some("a\tb"));
        assert_eq!(received.header_names(), ["Subject", "X-Note"]);
        assert_eq!(received.text.as_deref(), Some(".hidden\r\n"));
        assert_eq!(received.message_id, "");

        let mut client = RawClient::connect(sink.port()).await;
        client.line().await;
        client.command("MAIL FROM:<a@example.com>").await;
        client.command("RCPT TO:<b@example.com>").await;
        client.command("DATA").await;
        client.send("Subject: cut off\r\n\r\nhalf a mess").await;
        drop(client);

        let mut client = RawClient::connect(sink.port()).await;
        assert_eq!(client.line().await, "220 sink ESMTP");
        assert!(client.command("NOOP").await.starts_with("250 "));
        assert_eq!(sink.messages().len(), 1, "the cut-off message is not kept");
        assert_eq!(sink.attempts(), 3);
    }

    #[test]
    fn links_lose_surrounding_punctuation() {
        let text = "Open https://a.example/reset?t=1. Or (http://b.example/x), \
                    <https://c.example/y>, \"https://d.example/\"; not https:// alone.";
        assert_eq!(
            find_links(text),
            [
                "https://a.example/reset?t=1",
                "http://b.example/x",
                "https://c.example/y",
                "https://d.example/",
            ]
        );
    }

    struct RawClient {
        read: BufReader<tokio::net::tcp::OwnedReadHalf>,
        write: OwnedWriteHalf,
    }

    impl RawClient {
        async fn connect(port: u16) -> Self {
            let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))
                .await
                .unwrap();
            let (read, write) = stream.into_split();
            RawClient {
                read: BufReader::new(read),
                write,
            }
        }

        async fn send(&mut self, text: &str) {
            self.write.write_all(text.as_bytes()).await.unwrap();
        }

        async fn line(&mut self) -> String {
            let mut line = String::new();
            self.read.read_line(&mut line).await.unwrap();
            line.trim_end().to_owned()
        }

        /// Sends one command and returns the whole reply, continuation lines joined by '\n'.
        async fn command(&mut self, command: &str) -> String {
            self.send(&format!("{command}\r\n")).await;
            let mut reply = Vec::new();
            loop {
                let line = self.line().await;
                let last = line.as_bytes().get(3) != Some(&b'-');
                reply.push(line);
                if last {
                    return reply.join("\n");
                }
            }
        }
    }
}
