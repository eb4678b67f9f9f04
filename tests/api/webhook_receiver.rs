//! A small HTTP server that the tests start, so that webhook deliveries leave Gatehouse over a
//! real TCP connection through its real HTTP client, and can be read back: every request with
//! its headers and body, answered as the test says (a status with headers and a body, or no
//! answer at all, as a receiver that hangs).

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const POLL_INTERVAL: Duration = Duration::from_millis(20);
const WAIT_LIMIT: Duration = Duration::from_secs(15);
const REBIND_LIMIT: Duration = Duration::from_secs(2);
const MAX_BODY: usize = 1 << 20;

/// How the receiver answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A status, extra headers and a body.
    Status(u16, Vec<(String, String)>, String),
    /// Reads the request, records it and never answers.
    Hang,
}

impl Answer {
    pub fn ok() -> Self {
        Self::Status(200, Vec::new(), "thanks".into())
    }

    pub fn status(code: u16) -> Self {
        Self::Status(code, Vec::new(), format!("answer {code}"))
    }
}

#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a delivery's body is JSON")
    }

    /// The headers as the `http` crate holds them (what Standard Webhooks libraries read).
    pub fn header_map(&self) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in &self.headers {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                http::HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }
}

struct Shared {
    answer: Mutex<Answer>,
    requests: Mutex<Vec<Received>>,
    listener: Mutex<Option<TcpListener>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running receiver on 127.0.0.1. Dropping it stops it: the next connection is refused.
pub struct Receiver {
    port: u16,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Self::start_on(0).await
    }

    pub async fn start_on(port: u16) -> Receiver {
        let deadline = Instant::now() + REBIND_LIMIT;
        let listener = loop {
            match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
                Ok(listener) => break listener,
                Err(err)
                    if err.kind() == std::io::ErrorKind::AddrInUse && Instant::now() < deadline =>
                {
                    tokio::time::sleep(POLL_INTERVAL).await;
                }
                Err(err) => panic!("the receiver cannot listen on 127.0.0.1:{port}: {err}"),
            }
        };
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            answer: Mutex::new(Answer::ok()),
            requests: Mutex::new(Vec::new()),
            listener: Mutex::new(Some(listener)),
        });
        let task = tokio::spawn(accept_loop(Arc::clone(&shared)));
        Receiver { port, shared, task }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn answer(&self, answer: Answer) {
        *lock(&self.shared.answer) = answer;
    }

    pub fn requests(&self) -> Vec<Received> {
        lock(&self.shared.requests).clone()
    }

    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        self.wait_for_within(count, WAIT_LIMIT).await
    }

    pub async fn wait_for_within(&self, count: usize, limit: Duration) -> Vec<Received> {
        let deadline = Instant::now() + limit;
        loop {
            let requests = self.requests();
            if requests.len() >= count {
                return requests;
            }
            assert!(
                Instant::now() < deadline,
                "expected {count} request(s) at the receiver on port {} within {limit:?}, got {}",
                self.port,
                requests.len()
            );
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        lock(&self.shared.listener).take();
        self.task.abort();
    }
}

async fn accept_loop(shared: Arc<Shared>) {
    loop {
        let accepted = {
            let guard = lock(&shared.listener);
            let Some(listener) = guard.as_ref() else {
                return;
            };
            // Polled without holding the lock across an await: try, then wait a moment.
            futures_util::FutureExt::now_or_never(listener.accept())
        };
        match accepted {
            Some(Ok((stream, _))) => {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
            Some(Err(_)) => return,
            None => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).await.unwrap_or(0) == 0 {
            return;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).await.is_err() {
        return;
    }
    lock(&shared.requests).push(Received {
        method,
        path,
        headers,
        body,
    });
    let answer = lock(&shared.answer).clone();
    match answer {
        Answer::Hang => {
            // Holds the connection until the sender gives up or the test ends.
            tokio::time::sleep(Duration::from_secs(120)).await;
        }
        Answer::Status(code, extra, text) => {
            let mut response = format!(
                "HTTP/1.1 {code} Answer\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n",
                text.len()
            );
            for (name, value) in extra {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
            response.push_str("\r\n");
            response.push_str(&text);
            let mut stream = reader.into_inner();
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    }
}
