//! The APIs page: the organization's API catalog, per environment (each API with its optional
//! OpenAPI document and the operations read from it), and its API groups (named sets of APIs
//! across environments). Admins create, edit and delete both; deletions ask for a typed word.
//!
//! API forms are multipart (they carry the document); the session layer has already checked
//! their CSRF token, and `upload::FileForm::read` reads them with a limit per field and in total.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::access::Admin;
use crate::app::apis::{self, GroupInput};
use crate::domain::api_catalog::{
    self, ApiFields, ApiGroup, ApiOperation, DocumentChange, ListedApi, StoredDocument,
};
use crate::domain::environment::{self, Environment};
use crate::domain::ids::EnvironmentId;
use crate::domain::openapi::{self, MAX_DOCUMENT_BYTES, OpenApiError};
use crate::domain::organization;
use crate::domain::rules::DomainError;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::web::confirm::{self, Prompt};
use crate::web::context::{CurrentMember, Guarded};
use crate::web::form::FormFields;
use crate::web::htmx;
use crate::web::layout::{NavPage, Shell};
use crate::web::roles::shell;
use crate::web::upload::{FileForm, UploadedFile};

/// The word typed to confirm a deletion.
pub const DELETE_WORD: crate::web::confirm::ConfirmWord = crate::web::confirm::ConfirmWord::Delete;

/// The API form: its file input is the OpenAPI document.
const API_FORM: FileForm = FileForm {
    file_field: "document",
    file_limit: MAX_DOCUMENT_BYTES,
    max_parts: 32,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/apis", web::get().to(catalog))
        .route("/apis", web::post().to(create_api))
        .route("/apis/new", web::get().to(new_api))
        .route("/apis/{id:\\d+}", web::get().to(edit_api))
        .route("/apis/{id:\\d+}", web::post().to(update_api))
        .route("/apis/{id:\\d+}/openapi", web::get().to(download))
        .route("/apis/{id:\\d+}/delete", web::get().to(confirm_delete_api))
        .route("/apis/{id:\\d+}/delete", web::post().to(delete_api))
        .route("/apis/groups", web::post().to(create_group))
        .route("/apis/groups/new", web::get().to(new_group))
        .route("/apis/groups/{id:\\d+}", web::get().to(edit_group))
        .route("/apis/groups/{id:\\d+}", web::post().to(update_group))
        .route(
            "/apis/groups/{id:\\d+}/delete",
            web::get().to(confirm_delete_group),
        )
        .route(
            "/apis/groups/{id:\\d+}/delete",
            web::post().to(delete_group),
        );
}

/// How an API is named on pages: its name and version.
pub fn api_label(api: &api_catalog::Api) -> String {
    format!("{} {}", api.name, api.version)
}

/// The APIs of one environment (a fieldset of checkboxes on the forms that pick APIs).
pub struct EnvironmentApis<T> {
    pub id: EnvironmentId,
    pub name: String,
    pub apis: Vec<T>,
}

/// The organization's APIs, in `api_catalog::list_apis` order (by environment), grouped per
/// environment, each made into what the page shows; environments without APIs are left out.
pub fn per_environment<T>(
    apis: Vec<ListedApi>,
    mut item: impl FnMut(api_catalog::Api) -> T,
) -> Vec<EnvironmentApis<T>> {
    let mut sections: Vec<EnvironmentApis<T>> = Vec::new();
    for listed in apis {
        let environment_id = listed.api.environment_id;
        let shown = item(listed.api);
        match sections.last_mut() {
            Some(section) if section.id == environment_id => section.apis.push(shown),
            _ => sections.push(EnvironmentApis {
                id: environment_id,
                name: listed.environment_name,
                apis: vec![shown],
            }),
        }
    }
    sections
}

// ---------------------------------------------------------------------------------------------
// The catalog.

pub struct ApiRow {
    pub id: i64,
    /// Name and version.
    pub label: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub base_url: String,
    pub document: Option<String>,
    pub operations: Vec<ApiOperation>,
    pub operation_count: i64,
}

pub struct EnvironmentSection {
    pub id: EnvironmentId,
    pub name: String,
    pub apis: Vec<ApiRow>,
}

pub struct GroupApi {
    pub id: i64,
    pub label: String,
    pub environment_name: String,
}

pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub apis: Vec<GroupApi>,
}

#[derive(Template)]
#[template(path = "apis/catalog.html", blocks = ["content"])]
struct CatalogPage {
    t: Tr,
    shell: Shell,
    sections: Vec<EnvironmentSection>,
    api_count: usize,
    groups: Vec<GroupRow>,
    word: &'static str,
}

/// The groups with their APIs in catalog order (environment, then name and version).
fn group_rows(
    groups: Vec<ApiGroup>,
    mut members: HashMap<i64, Vec<i64>>,
    apis: &[ListedApi],
) -> Vec<GroupRow> {
    let position: HashMap<i64, usize> = apis
        .iter()
        .enumerate()
        .map(|(index, listed)| (listed.api.id, index))
        .collect();
    groups
        .into_iter()
        .map(|group| {
            let mut indexes: Vec<usize> = members
                .remove(&group.id)
                .unwrap_or_default()
                .iter()
                .filter_map(|id| position.get(id).copied())
                .collect();
            indexes.sort_unstable();
            GroupRow {
                id: group.id,
                name: group.name,
                description: group.description,
                apis: indexes
                    .into_iter()
                    .map(|index| GroupApi {
                        id: apis[index].api.id,
                        label: api_label(&apis[index].api),
                        environment_name: apis[index].environment_name.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

pub async fn catalog(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, environments, apis, mut operations, groups, members) = state
        .db(move |conn| {
            let groups = api_catalog::list_groups(conn, organization_id)?;
            let group_ids: Vec<i64> = groups.iter().map(|group| group.id).collect();
            Ok::<_, diesel::result::Error>((
                organization::choices_for_account(conn, account_id)?,
                environment::list(conn, organization_id)?,
                api_catalog::list_apis(conn, organization_id)?,
                api_catalog::operations_in_organization(conn, organization_id)?,
                groups,
                api_catalog::group_members(conn, &group_ids)?,
            ))
        })
        .await?;
    let groups = group_rows(groups, members, &apis);
    let api_count = apis.len();
    let mut by_environment: HashMap<EnvironmentId, Vec<ApiRow>> = HashMap::new();
    for listed in apis {
        let api = listed.api;
        let operations = operations.remove(&api.id).unwrap_or_default();
        by_environment
            .entry(api.environment_id)
            .or_default()
            .push(ApiRow {
                id: api.id,
                label: api_label(&api),
                name: api.name,
                version: api.version,
                description: api.description,
                base_url: api.base_url,
                document: api.openapi_filename,
                operation_count: operations.len() as i64,
                operations,
            });
    }
    let sections = environments
        .into_iter()
        .map(|env| EnvironmentSection {
            apis: by_environment.remove(&env.id).unwrap_or_default(),
            id: env.id,
            name: env.name,
        })
        .collect();
    let page = CatalogPage {
        t: member.ctx.tr(),
        shell: Shell::new(&member, organizations, NavPage::Apis),
        sections,
        api_count,
        groups,
        word: DELETE_WORD.text(member.ctx.tr()),
    };
    htmx::render(&req, &page, |page| page.as_content())
}

// ---------------------------------------------------------------------------------------------
// The API form (new and edit).

/// What the person typed, kept when the form comes back with errors.
#[derive(Debug, Clone, Default)]
pub struct ApiForm {
    pub environment_id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub base_url: String,
    pub remove_document: bool,
}

impl ApiForm {
    fn from_fields(fields: &FormFields) -> Self {
        Self {
            environment_id: fields.text("environment_id").trim().to_owned(),
            name: fields.text("name").to_owned(),
            version: fields.text("version").to_owned(),
            description: fields.text("description").to_owned(),
            base_url: fields.text("base_url").to_owned(),
            remove_document: fields.has("remove_document"),
        }
    }

    fn of(listed: &ListedApi) -> Self {
        let api = &listed.api;
        Self {
            environment_id: api.environment_id.to_string(),
            name: api.name.clone(),
            version: api.version.clone(),
            description: api.description.clone(),
            base_url: api.base_url.clone(),
            remove_document: false,
        }
    }

    fn environment_id(&self) -> Result<Option<EnvironmentId>, AppError> {
        if self.environment_id.is_empty() {
            Ok(None)
        } else {
            self.environment_id
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest)
        }
    }
}

#[derive(Debug, Default)]
pub struct ApiErrors {
    pub environment: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub base_url: String,
    pub document: String,
}

impl ApiErrors {
    fn any(&self) -> bool {
        [
            &self.environment,
            &self.name,
            &self.version,
            &self.description,
            &self.base_url,
            &self.document,
        ]
        .iter()
        .any(|error| !error.is_empty())
    }
}

pub struct EnvironmentChoice {
    pub id: EnvironmentId,
    pub name: String,
    pub selected: bool,
}

/// The API being edited, as stored.
pub struct EditedApi {
    pub id: i64,
    pub label: String,
    pub environment_name: String,
    pub document: Option<String>,
    pub operations: Vec<ApiOperation>,
    pub operation_count: i64,
    pub groups: Vec<String>,
}

#[derive(Template)]
#[template(path = "apis/api_form.html", blocks = ["content"])]
struct ApiFormPage {
    t: Tr,
    shell: Shell,
    editing: Option<EditedApi>,
    environments: Vec<EnvironmentChoice>,
    form: ApiForm,
    errors: ApiErrors,
}

impl ApiFormPage {
    fn action(&self) -> String {
        match &self.editing {
            Some(api) => format!("/apis/{}", api.id),
            None => "/apis".to_owned(),
        }
    }

    /// Whether the API being edited has a document.
    fn has_document(&self) -> bool {
        self.editing
            .as_ref()
            .is_some_and(|api| api.document.is_some())
    }

    /// The ids the document input is described by: its error and its hints.
    fn document_described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.errors.document.is_empty() {
            ids.push("api-document-error");
        }
        if self.has_document() {
            ids.push("api-document-current");
        }
        ids.push("api-document-hint");
        ids.join(" ")
    }
}

fn environment_choices(environments: Vec<Environment>, selected: &str) -> Vec<EnvironmentChoice> {
    environments
        .into_iter()
        .map(|env| EnvironmentChoice {
            selected: env.id.to_string() == selected,
            id: env.id,
            name: env.name,
        })
        .collect()
}

/// Renders the API form: a new API (`id` None) or an existing one, with what was typed.
async fn api_form_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: Option<i64>,
    form: Option<ApiForm>,
    errors: ApiErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, environments, edited) = state
        .db(move |conn| {
            let edited = match id {
                Some(id) => {
                    let listed = api_catalog::find_api(conn, organization_id, id)?;
                    let operations = api_catalog::operations(conn, id)?;
                    let groups = api_catalog::groups_of_api(conn, id)?;
                    Some((listed, operations, groups))
                }
                None => None,
            };
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                environment::list(conn, organization_id)?,
                edited,
            ))
        })
        .await?;
    let form = match (form, &edited) {
        (Some(form), _) => form,
        (None, Some((listed, _, _))) => ApiForm::of(listed),
        (None, None) => ApiForm::default(),
    };
    let editing = edited.map(|(listed, operations, groups)| EditedApi {
        id: listed.api.id,
        label: api_label(&listed.api),
        environment_name: listed.environment_name,
        document: listed.api.openapi_filename,
        operation_count: operations.len() as i64,
        operations,
        groups: groups.into_iter().map(|group| group.name).collect(),
    });
    let page = ApiFormPage {
        t: member.ctx.tr(),
        shell: Shell::new(member, organizations, NavPage::Apis),
        environments: environment_choices(environments, &form.environment_id),
        editing,
        form,
        errors,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

#[derive(Debug, Default, Deserialize)]
pub struct NewApiQuery {
    environment: Option<String>,
}

pub async fn new_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    query: web::Query<NewApiQuery>,
) -> Result<HttpResponse, AppError> {
    // "Add an API here" from an environment's section picks that environment (the choices are
    // the organization's own, so another id simply selects nothing).
    let form = ApiForm {
        environment_id: query.environment.clone().unwrap_or_default(),
        ..ApiForm::default()
    };
    api_form_page(
        &req,
        &state,
        &member,
        None,
        Some(form),
        ApiErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn edit_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    api_form_page(
        &req,
        &state,
        &member,
        Some(id.into_inner()),
        None,
        ApiErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The text of a document's refusal.
/// Checks the form and the document. The document is parsed on the blocking pool.
async fn check_api_form(
    t: Tr,
    form: &ApiForm,
    environment_id: Option<EnvironmentId>,
    file: Option<UploadedFile>,
) -> Result<Result<(ApiFields, Option<StoredDocument>), ApiErrors>, AppError> {
    let mut errors = ApiErrors::default();
    if environment_id.is_none() {
        errors.environment = t.t("apis-environment-required");
    }
    let message = |result: Result<String, &'static str>, slot: &mut String| match result {
        Ok(value) => value,
        Err(key) => {
            *slot = t.t(key);
            String::new()
        }
    };
    let name = message(api_catalog::parse_api_name(&form.name), &mut errors.name);
    let version = message(
        api_catalog::parse_version(&form.version),
        &mut errors.version,
    );
    let description = message(
        api_catalog::parse_description(&form.description),
        &mut errors.description,
    );
    let base_url = message(
        api_catalog::parse_base_url(&form.base_url),
        &mut errors.base_url,
    );
    let document = match file {
        None => None,
        Some(file) if file.too_large => {
            errors.document = OpenApiError::TooLarge.message(t);
            None
        }
        Some(file) => {
            let bytes = file.bytes;
            match web::block(move || openapi::parse(&bytes)).await? {
                Ok(document) => Some(StoredDocument {
                    filename: openapi::sanitize_filename(&file.filename, document.format),
                    text: document.text,
                    operations: document.operations,
                }),
                Err(err) => {
                    errors.document = err.message(t);
                    None
                }
            }
        }
    };
    if errors.any() {
        // A browser cannot keep a chosen file across pages: say so when it was fine.
        if document.is_some() {
            errors.document = t.t("apis-document-choose-again");
        }
        return Ok(Err(errors));
    }
    Ok(Ok((
        ApiFields {
            environment_id: environment_id.expect("refused above without one"),
            name,
            version,
            description,
            base_url,
        },
        document,
    )))
}

/// Another organization's environment answers 404, whatever else the form holds.
async fn check_environment(
    state: &AppState,
    member: &CurrentMember,
    environment_id: Option<EnvironmentId>,
) -> Result<(), AppError> {
    if let Some(environment_id) = environment_id {
        let organization_id = member.organization_id();
        state
            .db(move |conn| environment::find(conn, organization_id, environment_id))
            .await?;
    }
    Ok(())
}

pub async fn create_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    save_api(&req, &state, &member, None, multipart).await
}

pub async fn update_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let organization_id = member.organization_id();
    // Another organization's API answers 404 before its form is read.
    state
        .db(move |conn| api_catalog::find_api(conn, organization_id, id))
        .await?;
    save_api(&req, &state, &member, Some(id), multipart).await
}

/// Creates an API (`id` None) or updates one from the submitted form; a form with mistakes, or
/// refused by a rule, comes back with 422.
async fn save_api(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<Admin>,
    id: Option<i64>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let upload = match API_FORM.read(multipart).await {
        Ok(upload) => upload,
        Err(err) => return err.response(),
    };
    let t = member.ctx.tr();
    let form = ApiForm::from_fields(&upload.fields);
    let environment_id = form.environment_id()?;
    check_environment(state, member, environment_id).await?;
    let errors = match check_api_form(t, &form, environment_id, upload.file).await? {
        Err(errors) => errors,
        Ok((fields, document)) => {
            let had_document = document.is_some();
            match store_api(state, member, id, fields, document, form.remove_document).await? {
                Ok(saved) => {
                    let flash = if id.is_some() {
                        "apis-flash-api-updated"
                    } else {
                        "apis-flash-api-created"
                    };
                    return Ok(htmx::see_other_with_flash(
                        req,
                        &state.settings,
                        &format!("/apis#api-{saved}"),
                        flash,
                    ));
                }
                Err(DomainError::Rule(violation)) => ApiErrors {
                    name: t.t(violation.message_key()),
                    document: if had_document {
                        t.t("apis-document-choose-again")
                    } else {
                        String::new()
                    },
                    ..ApiErrors::default()
                },
                Err(other) => return Err(other.into()),
            }
        }
    };
    api_form_page(
        req,
        state,
        member,
        id,
        Some(form),
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Writes a checked API form: a new API (`id` None, answering its id) or the changes to one
/// (a new document replaces the stored one; without one, "remove" removes it).
async fn store_api(
    state: &AppState,
    member: &Guarded<Admin>,
    id: Option<i64>,
    fields: ApiFields,
    document: Option<StoredDocument>,
    remove_document: bool,
) -> Result<Result<i64, DomainError>, AppError> {
    let by = member.acting(state.now());
    state
        .db(move |conn| {
            Ok::<_, AppError>(match id {
                None => apis::create_api(&by, &fields, document.as_ref(), conn),
                Some(id) => {
                    let change = match document {
                        Some(document) => DocumentChange::Replace(document),
                        None if remove_document => DocumentChange::Remove,
                        None => DocumentChange::Keep,
                    };
                    apis::update_api(&by, id, &fields, &change, conn).map(|()| id)
                }
            })
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The document, as uploaded.

/// `name.json` as a header parameter: the ASCII name, and the UTF-8 one when they differ.
fn attachment(filename: &str) -> ContentDisposition {
    let ascii: String = filename
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let mut parameters = vec![DispositionParam::Filename(ascii)];
    if !filename.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: filename.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}

pub async fn download(
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let organization_id = member.organization_id();
    let (filename, text) = state
        .db(move |conn| {
            api_catalog::find_api(conn, organization_id, id)?;
            api_catalog::document(conn, id)?.ok_or(DomainError::NotFound)
        })
        .await?;
    let format = openapi::format_of(&text);
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((header::CONTENT_DISPOSITION, attachment(&filename)))
        .body(text))
}

// ---------------------------------------------------------------------------------------------
// Deleting an API or a group, with a typed confirmation.

#[derive(Template)]
#[template(path = "apis/delete.html", blocks = ["content"])]
struct DeletePage {
    t: Tr,
    shell: Shell,
    title: String,
    body: String,
    /// What else goes: a sentence, and the names it is about.
    effects: Vec<(String, Vec<String>)>,
    action: String,
    back: String,
    submit: String,
    confirm: Prompt,
}

/// What a delete page is about.
#[derive(Clone, Copy)]
enum Deletion {
    Api(i64),
    Group(i64),
}

impl Deletion {
    /// What the page says goes; another organization's id answers 404.
    async fn doomed(self, state: &AppState, member: &CurrentMember) -> Result<Doomed, AppError> {
        match self {
            Self::Api(id) => doomed_api(state, member, id).await,
            Self::Group(id) => doomed_group(state, member, id).await,
        }
    }

    /// Deletes it; answers where the catalog goes next and the flash that says so.
    async fn apply(
        self,
        state: &AppState,
        member: &Guarded<Admin>,
    ) -> Result<(&'static str, &'static str), AppError> {
        let by = member.acting(state.now());
        match self {
            Self::Api(id) => {
                state
                    .db(move |conn| apis::delete_api(&by, id, conn))
                    .await?;
                Ok(("/apis", "apis-flash-api-deleted"))
            }
            Self::Group(id) => {
                state
                    .db(move |conn| apis::delete_group(&by, id, conn))
                    .await?;
                Ok(("/apis#groups", "apis-flash-group-deleted"))
            }
        }
    }
}

struct Doomed {
    title: String,
    body: String,
    effects: Vec<(String, Vec<String>)>,
    action: String,
    submit: String,
}

async fn delete_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    deletion: Deletion,
    confirm: Prompt,
) -> Result<HttpResponse, AppError> {
    let doomed = deletion.doomed(state, member).await?;
    let status = confirm.status();
    let page = DeletePage {
        t: member.ctx.tr(),
        shell: shell(state, member, NavPage::Apis).await?,
        title: doomed.title,
        body: doomed.body,
        effects: doomed.effects,
        action: doomed.action,
        back: "/apis".to_owned(),
        submit: doomed.submit,
        confirm,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

async fn doomed_api(state: &AppState, member: &CurrentMember, id: i64) -> Result<Doomed, AppError> {
    let t = member.ctx.tr();
    let organization_id = member.organization_id();
    let (listed, groups, granted) = state
        .db(move |conn| {
            let listed = api_catalog::find_api(conn, organization_id, id)?;
            Ok::<_, DomainError>((
                listed,
                api_catalog::groups_of_api(conn, id)?,
                api_catalog::external_users_granted_api(conn, id)?,
            ))
        })
        .await?;
    let label = api_label(&listed.api);
    let mut effects = Vec::new();
    if !groups.is_empty() {
        effects.push((
            t.t("apis-delete-api-groups"),
            groups.into_iter().map(|group| group.name).collect(),
        ));
    }
    if granted > 0 {
        effects.push((
            t.t1("apis-delete-api-external-users", "count", granted),
            Vec::new(),
        ));
    }
    Ok(Doomed {
        title: t.t1("apis-delete-api-title", "name", label.as_str()),
        body: t.t1(
            "apis-delete-api-body",
            "environment",
            listed.environment_name.as_str(),
        ),
        effects,
        action: format!("/apis/{id}/delete"),
        submit: t.t("apis-delete-api-submit"),
    })
}

async fn doomed_group(
    state: &AppState,
    member: &CurrentMember,
    id: i64,
) -> Result<Doomed, AppError> {
    let t = member.ctx.tr();
    let organization_id = member.organization_id();
    let (group, granted) = state
        .db(move |conn| {
            let group = api_catalog::find_group(conn, organization_id, id)?;
            Ok::<_, DomainError>((group, api_catalog::external_users_granted_group(conn, id)?))
        })
        .await?;
    let mut effects = Vec::new();
    if granted > 0 {
        effects.push((
            t.t1("apis-delete-group-external-users", "count", granted),
            Vec::new(),
        ));
    }
    Ok(Doomed {
        title: t.t1("apis-delete-group-title", "name", group.name.as_str()),
        body: t.t("apis-delete-group-body"),
        effects,
        action: format!("/apis/groups/{id}/delete"),
        submit: t.t("apis-delete-group-submit"),
    })
}

/// Deletes when the typed word matches; otherwise the page again, saying so, with 422.
async fn delete_confirmed(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<Admin>,
    deletion: Deletion,
    fields: &FormFields,
) -> Result<HttpResponse, AppError> {
    if let Err(prompt) = confirm::typed_word(member.ctx.tr(), fields, DELETE_WORD) {
        return delete_page(req, state, member, deletion, prompt).await;
    }
    let (location, flash) = deletion.apply(state, member).await?;
    Ok(htmx::see_other_with_flash(
        req,
        &state.settings,
        location,
        flash,
    ))
}

pub async fn confirm_delete_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let deletion = Deletion::Api(id.into_inner());
    delete_page(
        &req,
        &state,
        &member,
        deletion,
        Prompt::new(member.ctx.tr(), DELETE_WORD),
    )
    .await
}

pub async fn delete_api(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let deletion = Deletion::Api(id.into_inner());
    delete_confirmed(&req, &state, &member, deletion, &fields).await
}

pub async fn confirm_delete_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let deletion = Deletion::Group(id.into_inner());
    delete_page(
        &req,
        &state,
        &member,
        deletion,
        Prompt::new(member.ctx.tr(), DELETE_WORD),
    )
    .await
}

pub async fn delete_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let deletion = Deletion::Group(id.into_inner());
    delete_confirmed(&req, &state, &member, deletion, &fields).await
}

// ---------------------------------------------------------------------------------------------
// The group form (new and edit).

#[derive(Debug, Clone, Default)]
pub struct GroupForm {
    pub name: String,
    pub description: String,
    pub api_ids: Vec<i64>,
}

#[derive(Debug, Default)]
pub struct GroupErrors {
    pub name: String,
    pub description: String,
}

pub struct ApiChoice {
    pub id: i64,
    pub name: String,
    pub version: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "apis/group_form.html", blocks = ["content"])]
struct GroupFormPage {
    t: Tr,
    shell: Shell,
    /// The group being edited: its id and stored name.
    editing: Option<(i64, String)>,
    form: GroupForm,
    errors: GroupErrors,
    sections: Vec<EnvironmentApis<ApiChoice>>,
}

impl GroupFormPage {
    fn action(&self) -> String {
        match &self.editing {
            Some((id, _)) => format!("/apis/groups/{id}"),
            None => "/apis/groups".to_owned(),
        }
    }
}

async fn group_form_page(
    req: &HttpRequest,
    state: &AppState,
    member: &CurrentMember,
    id: Option<i64>,
    form: Option<GroupForm>,
    errors: GroupErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (account_id, organization_id) = (member.account.account_id, member.organization_id());
    let (organizations, apis, edited) = state
        .db(move |conn| {
            let edited = match id {
                Some(id) => {
                    let group = api_catalog::find_group(conn, organization_id, id)?;
                    let members = api_catalog::group_members(conn, &[id])?
                        .remove(&id)
                        .unwrap_or_default();
                    Some((group, members))
                }
                None => None,
            };
            Ok::<_, DomainError>((
                organization::choices_for_account(conn, account_id)?,
                api_catalog::list_apis(conn, organization_id)?,
                edited,
            ))
        })
        .await?;
    let form = match (form, &edited) {
        (Some(form), _) => form,
        (None, Some((group, members))) => GroupForm {
            name: group.name.clone(),
            description: group.description.clone(),
            api_ids: members.clone(),
        },
        (None, None) => GroupForm::default(),
    };
    let page = GroupFormPage {
        t: member.ctx.tr(),
        shell: Shell::new(member, organizations, NavPage::Apis),
        editing: edited.map(|(group, _)| (group.id, group.name)),
        sections: per_environment(apis, |api| ApiChoice {
            checked: form.api_ids.contains(&api.id),
            id: api.id,
            name: api.name,
            version: api.version,
        }),
        form,
        errors,
    };
    htmx::render_with_status(req, status, &page, |page| page.as_content())
}

pub async fn new_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
) -> Result<HttpResponse, AppError> {
    group_form_page(
        &req,
        &state,
        &member,
        None,
        None,
        GroupErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn edit_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    group_form_page(
        &req,
        &state,
        &member,
        Some(id.into_inner()),
        None,
        GroupErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Reads and checks the group form. API ids that are not the organization's answer 404, even
/// when the rest of the form has mistakes.
async fn check_group_form(
    state: &AppState,
    member: &CurrentMember,
    fields: &FormFields,
) -> Result<(GroupForm, Result<(String, String), GroupErrors>), AppError> {
    let t = member.ctx.tr();
    let organization_id = member.organization_id();
    let requested = fields.ids("api_id")?;
    let api_ids = state
        .db(move |conn| api_catalog::own_api_ids(conn, organization_id, &requested))
        .await?;
    let form = GroupForm {
        name: fields.text("name").to_owned(),
        description: fields.text("description").to_owned(),
        api_ids,
    };
    let name = api_catalog::parse_group_name(&form.name);
    let description = api_catalog::parse_description(&form.description);
    let checked = match (name, description) {
        (Ok(name), Ok(description)) => Ok((name, description)),
        (name, description) => Err(GroupErrors {
            name: name.err().map(|key| t.t(key)).unwrap_or_default(),
            description: description.err().map(|key| t.t(key)).unwrap_or_default(),
        }),
    };
    Ok((form, checked))
}

pub async fn create_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    save_group(&req, &state, &member, None, &fields).await
}

pub async fn update_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Guarded<Admin>,
    id: web::Path<i64>,
    fields: FormFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let organization_id = member.organization_id();
    state
        .db(move |conn| api_catalog::find_group(conn, organization_id, id))
        .await?;
    save_group(&req, &state, &member, Some(id), &fields).await
}

/// Creates a group (`id` None) or updates one from the submitted form; a form with mistakes, or
/// refused by a rule, comes back with 422.
async fn save_group(
    req: &HttpRequest,
    state: &AppState,
    member: &Guarded<Admin>,
    id: Option<i64>,
    fields: &FormFields,
) -> Result<HttpResponse, AppError> {
    let t = member.ctx.tr();
    let (form, checked) = check_group_form(state, member, fields).await?;
    let errors = match checked {
        Err(errors) => errors,
        Ok((name, description)) => {
            let input = GroupInput {
                name,
                description,
                api_ids: form.api_ids.clone(),
            };
            match store_group(state, member, id, input).await? {
                Ok(saved) => {
                    let flash = if id.is_some() {
                        "apis-flash-group-updated"
                    } else {
                        "apis-flash-group-created"
                    };
                    return Ok(htmx::see_other_with_flash(
                        req,
                        &state.settings,
                        &format!("/apis#group-{saved}"),
                        flash,
                    ));
                }
                Err(DomainError::Rule(violation)) => GroupErrors {
                    name: t.t(violation.message_key()),
                    ..GroupErrors::default()
                },
                Err(other) => return Err(other.into()),
            }
        }
    };
    group_form_page(
        req,
        state,
        member,
        id,
        Some(form),
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Writes a checked group form: a new group (`id` None, answering its id) or the changes to one.
async fn store_group(
    state: &AppState,
    member: &Guarded<Admin>,
    id: Option<i64>,
    input: GroupInput,
) -> Result<Result<i64, DomainError>, AppError> {
    let by = member.acting(state.now());
    state
        .db(move |conn| {
            Ok::<_, AppError>(match id {
                None => apis::create_group(&by, &input, conn),
                Some(id) => apis::update_group(&by, id, &input, conn).map(|()| id),
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_name_the_file_safely() {
        let plain = attachment("petstore.yaml").to_string();
        assert_eq!(plain, "attachment; filename=\"petstore.yaml\"");
        let accented = attachment("ação.json").to_string();
        assert!(accented.starts_with("attachment; filename=\"a__o.json\""));
        assert!(accented.contains("filename*=UTF-8''a%C3%A7%C3%A3o.json"));
    }
}
