//! Sending one message: over SMTP when `GATEHOUSE_SMTP_URL` is set, otherwise into `.eml` files
//! under the mail directory, so a fresh install works without a mail server.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How a send went wrong, as the outbox needs to know it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// A 5xx answer: retrying will not help.
    pub permanent: bool,
    pub message: String,
}

impl SendError {
    fn transient(message: impl Into<String>) -> Self {
        Self {
            permanent: false,
            message: message.into(),
        }
    }

    fn permanent(message: impl Into<String>) -> Self {
        Self {
            permanent: true,
            message: message.into(),
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File {
        dir: PathBuf,
        transport: AsyncFileTransport<Tokio1Executor>,
    },
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

/// What a message to send consists of, as stored in the outbox.
pub struct Envelope<'a> {
    pub message_id: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum MailerSetupError {
    #[error("GATEHOUSE_SMTP_URL is not a valid SMTP URL: {0}")]
    SmtpUrl(String),
    #[error(
        "GATEHOUSE_MAIL_FROM is not a valid address (like \"Gatehouse <gatehouse@example.com>\"): {0}"
    )]
    From(String),
    #[error("cannot create the mail directory {0}: {1}")]
    Dir(String, std::io::Error),
}

pub const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

impl Mailer {
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        mail_dir: PathBuf,
    ) -> Result<Self, MailerSetupError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailerSetupError::From(from.to_owned()))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|err| MailerSetupError::SmtpUrl(err.to_string()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&mail_dir)
                    .map_err(|err| MailerSetupError::Dir(mail_dir.display().to_string(), err))?;
                Transport::File {
                    transport: AsyncFileTransport::new(&mail_dir),
                    dir: mail_dir,
                }
            }
        };
        Ok(Self { transport, from })
    }

    /// Where mail goes, for the start-up log.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".to_owned(),
            Transport::File { dir, .. } => format!("files in {}", dir.display()),
        }
    }

    fn build(&self, envelope: &Envelope<'_>) -> Result<Message, SendError> {
        let to: Mailbox = envelope.recipient.parse().map_err(|err| {
            SendError::permanent(format!("invalid recipient {:?}: {err}", envelope.recipient))
        })?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(crate::mail::compose::header_safe(envelope.subject))
            .message_id(Some(envelope.message_id.to_owned()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(envelope.text.to_owned()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(envelope.html.to_owned()),
                    ),
            )
            .map_err(|err| SendError::permanent(format!("message could not be built: {err}")))
    }

    pub async fn send(&self, envelope: &Envelope<'_>) -> Result<(), SendError> {
        let message = self.build(envelope)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|err| {
                let text = err.to_string();
                if err.is_permanent() {
                    SendError::permanent(text)
                } else {
                    // 4xx answers, refused connections, timeouts, TLS trouble: the server may recover.
                    SendError::transient(text)
                }
            }),
            Transport::File { transport, .. } => {
                let file = transport
                    .send(message)
                    .await
                    .map_err(|err| SendError::transient(err.to_string()))?;
                tracing::info!(
                    to = envelope.recipient,
                    subject = envelope.subject,
                    file = %format!("{file}.eml"),
                    "email written to file (no SMTP server configured)"
                );
                Ok(())
            }
        }
    }
}
