//! Confirmations and the changes they guard. An action that cannot be undone (deleting a client
//! token, ending a partnership) asks for a word to be typed in the form's `confirm` field, so
//! that a stray click or a resubmitted form does not do it: the confirmation page shows the word
//! and, after a mismatch, says which word to type (`templates/components/confirm.html` draws
//! the field and the confirmation dialogs). Once confirmed, `apply` makes the change.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;

use crate::app::access::{Acting, Guard};
use crate::db::DbConnection;
use crate::domain::rules::{DomainError, DomainResult};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::context::Guarded;
use crate::web::form::FormFields;
use crate::web::htmx;

/// A command on one row of the organization, by its id.
pub type Command<G> = fn(&Acting<G>, i64, &mut DbConnection) -> DomainResult<()>;

/// The status of a page with a form: 200 as first shown, 422 when it comes back `refused` (with
/// the message and what was typed or ticked).
pub fn status_of<T>(refused: &Option<T>) -> StatusCode {
    if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// The words typed to confirm, in the language of the page that asks (the words the manuals
/// of each language use). The server accepts the word of the page's language only, so what the
/// page shows is what it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmWord {
    Delete,
    Remove,
    Deactivate,
    End,
}

impl ConfirmWord {
    pub fn text(self, t: Tr) -> &'static str {
        use crate::i18n::Lang;
        match (self, t.lang()) {
            (Self::Delete, Lang::En) => "DELETE",
            (Self::Delete, Lang::PtBr) => "EXCLUIR",
            (Self::Delete, Lang::Pl) => "SKASUJ",
            (Self::Remove, Lang::En) => "REMOVE",
            (Self::Remove, Lang::PtBr) => "REMOVER",
            (Self::Remove, Lang::Pl) => "USUŃ",
            (Self::Deactivate, Lang::En) => "DEACTIVATE",
            (Self::Deactivate, Lang::PtBr) => "DESATIVAR",
            (Self::Deactivate, Lang::Pl) => "DEZAKTYWUJ",
            (Self::End, Lang::En) => "END",
            (Self::End, Lang::PtBr) => "ENCERRAR",
            (Self::End, Lang::Pl) => "ZAKOŃCZ",
        }
    }

    /// Whether `typed` is the word (surrounding spaces ignored, case kept: "delete" is not
    /// "DELETE").
    pub fn matches(self, t: Tr, typed: &str) -> bool {
        typed.trim() == self.text(t)
    }
}

/// The word a confirmation page asks for, and the message after a mismatch (empty at first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub word: &'static str,
    pub error: String,
}

impl Prompt {
    /// The page as first shown.
    pub fn new(t: Tr, word: ConfirmWord) -> Self {
        Self {
            word: word.text(t),
            error: String::new(),
        }
    }

    /// 422 when the page comes back after a mismatch, 200 otherwise.
    pub fn status(&self) -> StatusCode {
        if self.error.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}

/// Checks that `confirm` holds `word` in the page's language. A mismatch gives the prompt to
/// show again, with the message.
pub fn typed_word(t: Tr, form: &FormFields, word: ConfirmWord) -> Result<(), Prompt> {
    if word.matches(t, form.text("confirm")) {
        Ok(())
    } else {
        Err(Prompt {
            word: word.text(t),
            error: t.t1("confirm-word-mismatch", "word", word.text(t)),
        })
    }
}

/// Runs the command a confirmation (or a one-click button) asked for, then goes to `back` with
/// `flash`. A refusal (the row is no longer in a state that allows it) is the 409 page that
/// explains the rule; another organization's id is a 404.
pub async fn apply<G: Guard>(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<G>,
    id: i64,
    command: Command<G>,
    back: &str,
    flash: &str,
) -> Result<HttpResponse, AppError> {
    let by = member.acting(state.now());
    state.db(move |conn| command(&by, id, conn)).await?;
    Ok(htmx::see_other_with_flash(
        req,
        &state.settings,
        back,
        flash,
    ))
}

/// What a one-click change does when a rule refuses it (the row is no longer in a state that
/// allows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnRefusal {
    /// The 409 page that explains the rule.
    Explain,
    /// Back where the click came from, with the rule's message.
    GoBack,
}

type OneClickFuture = LocalBoxFuture<'static, Result<HttpResponse, AppError>>;

/// The handler of a one-click change on one row (`POST /users/external/{id}/suspend`): the guard
/// `G`, then `command` on the row, then back to `back(id)` with `flash`.
pub fn one_click<G: Guard>(
    command: Command<G>,
    back: fn(i64) -> String,
    flash: &'static str,
    on_refusal: OnRefusal,
) -> impl Fn(HttpRequest, web::Data<AppState>, Guarded<G>, web::Path<i64>) -> OneClickFuture
+ Clone
+ 'static {
    move |req, state, member, id| {
        Box::pin(async move {
            let (id, by) = (id.into_inner(), member.acting(state.now()));
            let outcome = state
                .db(move |conn| Ok::<_, AppError>(command(&by, id, conn)))
                .await?;
            let back = back(id);
            match outcome {
                Ok(()) => Ok(htmx::see_other_with_flash(
                    &req,
                    &state.settings,
                    &back,
                    flash,
                )),
                Err(DomainError::Rule(violation)) if on_refusal == OnRefusal::GoBack => {
                    Ok(htmx::see_other_with_error(
                        &req,
                        &state.settings,
                        &back,
                        violation.message_key(),
                    ))
                }
                Err(other) => Err(other.into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(confirm: &str) -> FormFields {
        FormFields::from_pairs(vec![("confirm".into(), confirm.into())])
    }

    #[test]
    fn the_word_must_be_typed_exactly_but_spaces_around_it_are_fine() {
        let t = Tr::default();
        assert_eq!(typed_word(t, &form(" END "), ConfirmWord::End), Ok(()));
        let refused = typed_word(t, &form("end"), ConfirmWord::End).unwrap_err();
        assert_eq!(refused.word, "END");
        assert!(refused.error.contains("END"), "{}", refused.error);
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(typed_word(t, &FormFields::default(), ConfirmWord::Delete).is_err());
        assert_eq!(Prompt::new(t, ConfirmWord::Delete).status(), StatusCode::OK);
    }

    #[test]
    fn the_word_is_the_one_of_the_page_language() {
        use crate::i18n::Lang;
        let portuguese = Tr(Lang::PtBr);
        assert_eq!(
            typed_word(portuguese, &form("REMOVER"), ConfirmWord::Remove),
            Ok(())
        );
        assert!(typed_word(portuguese, &form("REMOVE"), ConfirmWord::Remove).is_err());
        let polish = Tr(Lang::Pl);
        assert_eq!(
            typed_word(polish, &form(" USUŃ "), ConfirmWord::Remove),
            Ok(())
        );
        assert_eq!(Prompt::new(polish, ConfirmWord::Delete).word, "SKASUJ");
    }
}
