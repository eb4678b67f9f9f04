//! The APIs page, as an administrator uses it: adding APIs to environments with their OpenAPI
//! documents (JSON or YAML, checked at upload), editing and deleting them, and gathering them
//! into groups across environments.

use diesel::prelude::*;
use gatehouse::db::schema::{api_group_apis, api_groups, api_operations, apis, audit_events};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::*;
use crate::roles::{
    add_member, admin_of_another_organization, audit_actions, new_environment, role_named,
    signed_in, submit,
};

const PETSTORE_JSON: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Pet Store", "version": "1.0.0"},
  "paths": {
    "/pets": {
      "get": {"summary": "List pets", "operationId": "listPets"},
      "post": {"operationId": "createPet"}
    },
    "/pets/{id}": {
      "delete": {"summary": "Delete a pet"}
    }
  }
}"#;

const ORDERS_YAML: &str = "\
openapi: 3.1.0
info:
  title: Orders
  version: '2.0'
paths:
  /orders:
    post:
      summary: Place an order
    get:
      summary: List orders
  /orders/{id}:
    patch:
      operationId: amendOrder
";

const BOUNDARY: &str = "----gatehouse-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart/form-data body: the text fields, then the document (file name and bytes) when
/// given, as a browser sends the API form.
fn multipart_body(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (filename, bytes) = file.unwrap_or(("", b""));
    let content_type = if filename.is_empty() {
        "application/octet-stream"
    } else if filename.ends_with(".json") {
        "application/json"
    } else {
        "application/yaml"
    };
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts the API form as multipart, with the CSRF token in its hidden field (first, as the page
/// has it) and any extra headers.
async fn post_multipart_with(
    app: &TestApp,
    client: &TestClient,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
    headers: HeaderMap,
) -> reqwest::Response {
    let token = client.csrf_token().unwrap_or_default();
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    client
        .http
        .post(format!("{}{path}", app.address))
        .headers(headers)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart_body(&all, file))
        .send()
        .await
        .expect("POST")
}

async fn post_multipart(
    app: &TestApp,
    client: &TestClient,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> reqwest::Response {
    post_multipart_with(app, client, path, fields, file, HeaderMap::new()).await
}

/// Loads `from`, posts the multipart form to `action` and follows a redirect, like a browser.
async fn send(
    app: &TestApp,
    client: &TestClient,
    from: &str,
    action: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, String, String) {
    let (status, _) = client.page(from).await;
    assert_eq!(status, StatusCode::OK, "{from} loads");
    let response = post_multipart(app, client, action, fields, file).await;
    let status = response.status();
    if status == StatusCode::SEE_OTHER {
        let to = location(&response);
        let (_, body) = client.page(&to).await;
        (status, to, body)
    } else {
        (status, String::new(), response.text().await.unwrap())
    }
}

fn api_fields<'a>(
    environment: &'a str,
    name: &'a str,
    version: &'a str,
    base_url: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("environment_id", environment),
        ("name", name),
        ("version", version),
        ("description", "Everything about pets.\nAnd more."),
        ("base_url", base_url),
    ]
}

fn api_named(app: &TestApp, name: &str) -> i64 {
    let mut conn = app.pool.get().unwrap();
    apis::table
        .filter(apis::name.eq(name))
        .select(apis::id)
        .first(&mut conn)
        .unwrap_or_else(|_| panic!("no API {name}"))
}

fn api_count(app: &TestApp) -> i64 {
    let mut conn = app.pool.get().unwrap();
    apis::table.count().get_result(&mut conn).unwrap()
}

fn stored_document(app: &TestApp, id: i64) -> (Option<String>, Option<String>) {
    let mut conn = app.pool.get().unwrap();
    apis::table
        .find(id)
        .select((apis::openapi_filename, apis::openapi_document))
        .first(&mut conn)
        .unwrap()
}

fn stored_operations(app: &TestApp, id: i64) -> Vec<(String, String, String)> {
    let mut conn = app.pool.get().unwrap();
    api_operations::table
        .filter(api_operations::api_id.eq(id))
        .order(api_operations::position.asc())
        .select((
            api_operations::method,
            api_operations::path,
            api_operations::summary,
        ))
        .load(&mut conn)
        .unwrap()
}

fn group_apis(app: &TestApp, group_id: i64) -> Vec<i64> {
    let mut conn = app.pool.get().unwrap();
    api_group_apis::table
        .filter(api_group_apis::api_group_id.eq(group_id))
        .order(api_group_apis::api_id.asc())
        .select(api_group_apis::api_id)
        .load(&mut conn)
        .unwrap()
}

fn group_named(app: &TestApp, name: &str) -> i64 {
    let mut conn = app.pool.get().unwrap();
    api_groups::table
        .filter(api_groups::name.eq(name))
        .select(api_groups::id)
        .first(&mut conn)
        .unwrap_or_else(|_| panic!("no group {name}"))
}

fn audit_of(app: &TestApp, action: &str) -> Vec<(Option<String>, Option<String>)> {
    let mut conn = app.pool.get().unwrap();
    audit_events::table
        .filter(audit_events::action.eq(action))
        .order(audit_events::id.asc())
        .select((audit_events::target, audit_events::details))
        .load(&mut conn)
        .unwrap()
}

/// The table row of one API on the catalog page.
fn api_row(page: &str, api_id: i64) -> &str {
    let start = page
        .find(&format!(r#"<tr id="api-{api_id}">"#))
        .unwrap_or_else(|| panic!("a row for API {api_id}"));
    let end = page[start..].find("</tr>").unwrap() + start;
    &page[start..end]
}

/// An API added through the page; returns its id.
async fn add_api(
    app: &TestApp,
    client: &TestClient,
    environment: gatehouse::domain::ids::EnvironmentId,
    name: &str,
    version: &str,
    file: Option<(&str, &[u8])>,
) -> i64 {
    let environment = environment.to_string();
    let (status, _, page) = send(
        app,
        client,
        "/apis/new",
        "/apis",
        &api_fields(&environment, name, version, "https://api.example.com/v1"),
        file,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{name} is added: {page}");
    api_named(app, name)
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_catalog_says_what_to_do_first() {
    let (app, admin) = spawn_app_with_admin().await;
    let (status, page) = admin.page("/apis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<a class="nav-link" href="/apis" aria-current="page">"#));
    assert!(page.contains("No environments yet"));
    assert!(
        page.contains(r#"<a class="btn btn-primary" href="/environments">Go to Environments</a>"#)
    );
    let (_, form) = admin.page("/apis/new").await;
    assert!(
        form.contains(r#"href="/environments""#),
        "the form sends there too"
    );

    let production = new_environment(&app, "Production");
    let (_, page) = admin.page("/apis").await;
    assert!(page.contains(r#"<h3 class="card-title" id="environment-"#));
    assert!(page.contains("No APIs in this environment yet."));
    assert!(page.contains(&format!(r#"href="/apis/new?environment={production}""#)));
    assert!(page.contains("Add APIs first; then you can gather them into groups."));
    let (_, form) = admin
        .page(&format!("/apis/new?environment={production}"))
        .await;
    assert!(form.contains(&format!(
        r#"<option value="{production}" selected>Production</option>"#
    )));
    assert!(form.contains(r#"enctype="multipart/form-data""#));
    assert!(form.contains(r#"<label for="api-name">Name</label>"#));
}

#[tokio::test]
async fn an_admin_adds_apis_with_json_and_yaml_documents() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    let production_id = production.to_string();
    let (status, to, page) = send(
        &app,
        &admin,
        "/apis/new",
        "/apis",
        &api_fields(
            &production_id,
            " Pets ",
            "1.0",
            "https://pets.example.com/v1",
        ),
        Some(("petstore.json", PETSTORE_JSON.as_bytes())),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let pets = api_named(&app, "Pets");
    assert_eq!(to, format!("/apis#api-{pets}"));
    assert!(page.contains("API added."));
    let row = api_row(&page, pets);
    assert!(row.contains(r#"<strong>Pets</strong> <span class="badge badge-gray">1.0</span>"#));
    assert!(row.contains("https://pets.example.com/v1"));
    assert!(row.contains("Everything about pets.\nAnd more."));
    assert!(row.contains(&format!(
        r#"<a href="/apis/{pets}/openapi" hx-boost="false" download>petstore.json</a>"#
    )));
    assert!(row.contains("<summary>3 operations</summary>"));
    let get = row
        .find("/pets</span> <span class=\"muted\">List pets</span>")
        .unwrap();
    let post = row
        .find("/pets</span> <span class=\"muted\">createPet</span>")
        .unwrap();
    let delete = row.find("Delete a pet").unwrap();
    assert!(get < post && post < delete, "operations in document order");
    assert_eq!(
        stored_operations(&app, pets),
        vec![
            ("GET".into(), "/pets".into(), "List pets".into()),
            ("POST".into(), "/pets".into(), "createPet".into()),
            ("DELETE".into(), "/pets/{id}".into(), "Delete a pet".into()),
        ]
    );

    // YAML, in another environment, with a name that needs cleaning.
    let staging_id = staging.to_string();
    let (status, _, page) = send(
        &app,
        &admin,
        &format!("/apis/new?environment={staging}"),
        "/apis",
        &api_fields(&staging_id, "Orders", "2.0", "http://orders.internal:8080"),
        Some(("../../specs/orders;v2.yaml", ORDERS_YAML.as_bytes())),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let orders = api_named(&app, "Orders");
    let row = api_row(&page, orders);
    assert!(row.contains("orders_v2.yaml"), "{row}");
    assert!(row.contains("<summary>3 operations</summary>"));
    assert!(row.contains(r#"<span class="badge badge-blue operation-method">PATCH</span> <span class="mono">/orders/{id}</span> <span class="muted">amendOrder</span>"#));
    // Sections per environment, in name order.
    let production_at = page.find(r#"id="environment-"#).unwrap();
    assert!(page[production_at..].starts_with(&format!(r#"id="environment-{production}""#)));
    assert!(
        page.find(&format!("api-{pets}")).unwrap() < page.find(&format!("api-{orders}")).unwrap()
    );

    // An API without a document.
    add_api(&app, &admin, production, "Bare", "1", None).await;
    let (_, page) = admin.page("/apis").await;
    assert!(api_row(&page, api_named(&app, "Bare")).contains("No document"));

    // The documents come back as uploaded.
    let response = admin.get(&format!("/apis/{pets}/openapi")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"petstore.json\""
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.text().await.unwrap(), PETSTORE_JSON);
    let response = admin.get(&format!("/apis/{orders}/openapi")).await;
    assert_eq!(response.headers()["content-type"], "application/yaml");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"orders_v2.yaml\""
    );
    assert_eq!(response.text().await.unwrap(), ORDERS_YAML);
    let bare = api_named(&app, "Bare");
    assert_eq!(
        admin.get(&format!("/apis/{bare}/openapi")).await.status(),
        StatusCode::NOT_FOUND
    );

    // The API's own page lists the operations too.
    let (status, page) = admin.page(&format!("/apis/{pets}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>Pets 1.0</h1>"));
    assert!(page.contains(r#"<td class="mono">/pets/{id}</td><td>Delete a pet</td>"#));
    assert!(page.contains("Current document: petstore.json."));

    let created = audit_of(&app, "api.created");
    assert_eq!(created.len(), 3);
    assert_eq!(created[0].0.as_deref(), Some("Pets 1.0 (Production)"));
    assert_eq!(
        created[0].1.as_deref(),
        Some("document \"petstore.json\", 3 operations")
    );
}

#[tokio::test]
async fn htmx_sends_the_form_with_the_token_in_a_header() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production").to_string();
    admin.page("/apis/new").await;
    let token = admin.csrf_token().unwrap();
    let body = multipart_body(
        &api_fields(&production, "Pets", "1", "https://pets.example.com"),
        Some(("pets.json", PETSTORE_JSON.as_bytes())),
    );
    let response = admin
        .http
        .post(format!("{}/apis", app.address))
        .header("x-csrf-token", token)
        .header("hx-request", "true")
        .header("hx-boosted", "true")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let pets = api_named(&app, "Pets");
    assert_eq!(
        response.headers()["hx-redirect"],
        format!("/apis#api-{pets}").as_str()
    );
    assert_eq!(stored_operations(&app, pets).len(), 3);
}

#[tokio::test]
async fn invalid_documents_are_refused_with_their_message() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production").to_string();
    let head = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "latin1.yaml",
            b"openapi: 3.0.0\ninfo: {title: caf\xe9}\n".to_vec(),
            "The file is not a text file in UTF-8.",
        ),
        (
            "broken.json",
            b"{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\": \"x\"\n  \"paths\": {}\n}"
                .to_vec(),
            "The file is neither valid JSON nor valid YAML: there is a mistake on line 4.",
        ),
        (
            "broken.yaml",
            format!("{head}paths:\n  /a: [unclosed\n").into_bytes(),
            "The file is neither valid JSON nor valid YAML: there is a mistake on line",
        ),
        (
            "notes.txt",
            b"just some words".to_vec(),
            "The file is not an OpenAPI document",
        ),
        (
            "noversion.yaml",
            b"info: {title: T, version: '1'}\npaths: {}\n".to_vec(),
            "The document does not say which version it follows",
        ),
        (
            "v4.yaml",
            b"openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n".to_vec(),
            "The document follows openapi 4.0.0; Gatehouse reads OpenAPI 3.0, 3.1 and Swagger 2.0.",
        ),
        (
            "noinfo.json",
            br#"{"openapi": "3.1.0", "paths": {}}"#.to_vec(),
            "The document needs an info section with a title and a version",
        ),
        (
            "nopaths.yaml",
            head.as_bytes().to_vec(),
            "The document needs a paths section",
        ),
        (
            "badpath.yaml",
            format!("{head}paths:\n  pets:\n    get: {{}}\n").into_bytes(),
            "The path “pets” is not valid",
        ),
        ("empty.json", Vec::new(), "The file is empty."),
    ];
    for (filename, bytes, message) in cases {
        let (status, _, page) = send(
            &app,
            &admin,
            "/apis/new",
            "/apis",
            &api_fields(&production, "Pets", "1.0", "https://pets.example.com"),
            Some((filename, &bytes)),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{filename}");
        assert!(
            page.contains(&format!(
                r#"<p class="field-error" id="api-document-error">{message}"#
            )),
            "{filename}: {message}\n{page}"
        );
        assert!(page.contains(
            r#"aria-describedby="api-document-error api-document-hint" aria-invalid="true""#
        ));
        // What was typed is kept.
        assert!(page.contains(r#"id="api-name" name="name" type="text" value="Pets""#));
        assert!(page.contains(r#"value="https://pets.example.com""#));
        assert!(page.contains(">Everything about pets.\nAnd more.</textarea>"));
        assert!(page.contains(&format!(r#"<option value="{production}" selected>"#)));
    }
    assert_eq!(api_count(&app), 0, "nothing was stored");
    assert!(audit_of(&app, "api.created").is_empty());
}

#[tokio::test]
async fn mistakes_in_the_fields_come_back_next_to_them() {
    let (app, admin) = spawn_app_with_admin().await;
    new_environment(&app, "Production");
    let (status, _, page) = send(
        &app,
        &admin,
        "/apis/new",
        "/apis",
        &[
            ("environment_id", ""),
            ("name", "  "),
            ("version", &"9".repeat(51)),
            ("description", ""),
            ("base_url", "ftp://files.example.com"),
        ],
        Some(("pets.json", PETSTORE_JSON.as_bytes())),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for (id, message) in [
        (
            "api-environment",
            "Choose the environment the API belongs to.",
        ),
        ("api-name", "Enter a name for the API."),
        (
            "api-version",
            "Versions can have up to 50 characters and no line breaks.",
        ),
        (
            "api-base-url",
            "Enter a full address starting with http:// or https://",
        ),
        ("api-document", "Choose the file again"),
    ] {
        assert!(
            page.contains(&format!(
                r#"<p class="field-error" id="{id}-error">{message}"#
            )),
            "{id}: {page}"
        );
    }
    assert!(page.contains(r#"id="api-name" name="name" type="text" value="  " autocomplete="off" required aria-invalid="true" aria-describedby="api-name-error""#));
    assert!(page.contains(r#"value="ftp://files.example.com""#));
    assert!(page.contains(r#"<option value="" selected>Choose an environment</option>"#));
    assert_eq!(api_count(&app), 0);
}

#[tokio::test]
async fn uploads_over_the_limits_are_refused() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production").to_string();
    // Over the document's 2 MiB, within the upload limit: the form says why.
    let mut big = PETSTORE_JSON.as_bytes().to_vec();
    big.resize(2 * 1024 * 1024 + 1, b' ');
    let (status, _, page) = send(
        &app,
        &admin,
        "/apis/new",
        "/apis",
        &api_fields(&production, "Pets", "1", "https://pets.example.com"),
        Some(("big.json", &big)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The file is larger than 2 MiB."));
    // Exactly 2 MiB is fine.
    big.truncate(2 * 1024 * 1024);
    let (status, _, page) = send(
        &app,
        &admin,
        "/apis/new",
        "/apis",
        &api_fields(&production, "Pets", "1", "https://pets.example.com"),
        Some(("big.json", &big)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    // Over the whole upload limit: refused before it is read.
    let huge = vec![b'a'; 3 * 1024 * 1024 + 1];
    let response = post_multipart(
        &app,
        &admin,
        "/apis",
        &api_fields(&production, "Huge", "1", "https://huge.example.com"),
        Some(("huge.yaml", &huge)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // With the token in the header (htmx), the handler counts as it reads.
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-csrf-token",
        HeaderValue::from_str(&admin.csrf_token().unwrap()).unwrap(),
    );
    let response = post_multipart_with(
        &app,
        &admin,
        "/apis",
        &api_fields(&production, "Huge", "1", "https://huge.example.com"),
        Some(("huge.yaml", &huge)),
        headers,
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api_count(&app), 1);
}

#[tokio::test]
async fn name_and_version_are_unique_per_environment() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    add_api(&app, &admin, production, "Pets", "1.0", None).await;
    let production_id = production.to_string();
    let (status, _, page) = send(
        &app,
        &admin,
        "/apis/new",
        "/apis",
        &api_fields(&production_id, "PETS", "1.0", "https://pets.example.com"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"<p class="field-error" id="api-name-error">This environment already has an API with this name and version.</p>"#));
    assert!(page.contains(r#"value="PETS""#));
    // Another version, or the same one elsewhere, is fine.
    add_api(&app, &admin, production, "Pets v2", "2.0", None).await;
    let staging_id = staging.to_string();
    let (status, _, _) = send(
        &app,
        &admin,
        "/apis/new",
        "/apis",
        &api_fields(&staging_id, "Pets", "1.0", "https://pets.example.com"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(api_count(&app), 3);
    // Renaming into a taken name and version is refused as well.
    let v2 = api_named(&app, "Pets v2");
    let (status, _, page) = send(
        &app,
        &admin,
        &format!("/apis/{v2}"),
        &format!("/apis/{v2}"),
        &api_fields(&production_id, "pets", "1.0", "https://pets.example.com"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("This environment already has an API with this name and version."));
}

#[tokio::test]
async fn editing_keeps_replaces_or_removes_the_document() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    let pets = add_api(
        &app,
        &admin,
        production,
        "Pets",
        "1.0",
        Some(("petstore.json", PETSTORE_JSON.as_bytes())),
    )
    .await;
    let edit = format!("/apis/{pets}");
    let (_, page) = admin.page(&edit).await;
    assert!(page.contains(r#"<label for="api-remove-document">Remove the document</label>"#));
    assert!(page.contains(r#"aria-describedby="api-document-current api-document-hint""#));

    // Without a file, the document stays; the fields change, even the environment.
    let staging_id = staging.to_string();
    let (status, to, page) = send(
        &app,
        &admin,
        &edit,
        &edit,
        &api_fields(&staging_id, "Pets", "1.1", "https://pets.example.com/v1.1"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(to, format!("/apis#api-{pets}"));
    assert!(page.contains("API saved."));
    assert_eq!(
        stored_document(&app, pets).0.as_deref(),
        Some("petstore.json")
    );
    assert_eq!(stored_operations(&app, pets).len(), 3);
    let environment_section = page
        .find(&format!(r#"id="environment-{staging}""#))
        .unwrap();
    assert!(page.find(&format!("api-{pets}")).unwrap() > environment_section);

    // A new file replaces it and its operations.
    let (status, _, _) = send(
        &app,
        &admin,
        &edit,
        &edit,
        &api_fields(&staging_id, "Pets", "1.1", "https://pets.example.com/v1.1"),
        Some(("orders.yaml", ORDERS_YAML.as_bytes())),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored_document(&app, pets),
        (Some("orders.yaml".into()), Some(ORDERS_YAML.into()))
    );
    assert_eq!(stored_operations(&app, pets)[0].2, "Place an order");

    // A refused file leaves everything as it was.
    let (status, _, page) = send(
        &app,
        &admin,
        &edit,
        &edit,
        &api_fields(
            &staging_id,
            "Renamed",
            "1.1",
            "https://pets.example.com/v1.1",
        ),
        Some(("bad.yaml", b"openapi: 3.0.0\n")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The document needs an info section"));
    assert!(page.contains(r#"value="Renamed""#));
    assert_eq!(api_named(&app, "Pets"), pets);

    // "Remove the document" removes it.
    let mut fields = api_fields(&staging_id, "Pets", "1.1", "https://pets.example.com/v1.1");
    fields.push(("remove_document", "yes"));
    let (status, _, page) = send(&app, &admin, &edit, &edit, &fields, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(stored_document(&app, pets), (None, None));
    assert!(stored_operations(&app, pets).is_empty());
    assert!(api_row(&page, pets).contains("No document"));
    let (_, page) = admin.page(&edit).await;
    assert!(!page.contains("api-remove-document"));
    assert!(page.contains("This API has no OpenAPI document"));

    let updated = audit_of(&app, "api.updated");
    assert_eq!(updated.len(), 3);
    assert_eq!(updated[0].0.as_deref(), Some("Pets 1.1 (Staging)"));
    let first = updated[0].1.clone().unwrap();
    assert!(
        first.contains("environment \"Production\" → \"Staging\""),
        "{first}"
    );
    assert!(first.contains("version \"1.0\" → \"1.1\""), "{first}");
    assert!(
        updated[1]
            .1
            .as_deref()
            .unwrap()
            .contains("document \"orders.yaml\", 3 operations")
    );
    assert_eq!(updated[2].1.as_deref(), Some("document removed"));
}

#[tokio::test]
async fn deleting_an_api_asks_for_the_word_and_takes_it_out_of_groups() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let pets = add_api(
        &app,
        &admin,
        production,
        "Pets",
        "1.0",
        Some(("petstore.json", PETSTORE_JSON.as_bytes())),
    )
    .await;
    let orders = add_api(&app, &admin, production, "Orders", "1.0", None).await;
    let (status, _, _) = submit(
        &admin,
        "/apis/groups/new",
        "/apis/groups",
        &[
            ("name", "Partners"),
            ("api_id", &pets.to_string()),
            ("api_id", &orders.to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let partners = group_named(&app, "Partners");

    // The catalog offers a dialog; without JavaScript the link opens the confirmation page.
    let (_, page) = admin.page("/apis").await;
    let row = api_row(&page, pets);
    assert!(row.contains(&format!(
        r#"href="/apis/{pets}/delete" data-dialog-open="delete-api-{pets}""#
    )));
    assert!(row.contains(&format!(r#"<dialog class="dialog" id="delete-api-{pets}""#)));
    let confirm = format!("/apis/{pets}/delete");
    let (status, page) = admin.page(&confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Delete the API “Pets 1.0”?"));
    assert!(page.contains("It is taken out of these groups:"));
    assert!(page.contains(r#"<span class="badge badge-gray">Partners</span>"#));
    assert!(page.contains(r#"data-confirm-word="DELETE""#));

    let (status, _, page) = submit(&admin, &confirm, &confirm, &[("confirm", "delete")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Type DELETE exactly, in capital letters, to confirm."));
    assert_eq!(api_count(&app), 2);

    let (status, to, page) = submit(&admin, &confirm, &confirm, &[("confirm", "DELETE")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/apis");
    assert!(page.contains("API deleted."));
    assert_eq!(api_count(&app), 1);
    assert!(stored_operations(&app, pets).is_empty());
    assert_eq!(group_apis(&app, partners), vec![orders]);
    assert_eq!(admin.get(&confirm).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        audit_of(&app, "api.deleted"),
        vec![(Some("Pets 1.0 (Production)".into()), None)]
    );
}

#[tokio::test]
async fn groups_gather_apis_across_environments() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let staging = new_environment(&app, "Staging");
    new_environment(&app, "Empty");
    let pets = add_api(&app, &admin, production, "Pets", "1.0", None).await;
    let orders = add_api(&app, &admin, staging, "Orders", "2.0", None).await;
    let billing = add_api(&app, &admin, staging, "Billing", "1.0", None).await;

    let (status, form) = admin.page("/apis/groups/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("<legend>APIs in the group</legend>"));
    assert!(form.contains("<legend>Production</legend>"));
    assert!(form.contains("<legend>Staging</legend>"));
    assert!(
        !form.contains("<legend>Empty</legend>"),
        "environments without APIs are left out"
    );
    assert!(form.contains(&format!(
        r#"<input type="checkbox" id="group-api-{pets}" name="api_id" value="{pets}">"#
    )));

    let (status, to, page) = submit(
        &admin,
        "/apis/groups/new",
        "/apis/groups",
        &[
            ("name", " Partner APIs "),
            ("description", "For our partners."),
            ("api_id", &pets.to_string()),
            ("api_id", &orders.to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let group = group_named(&app, "Partner APIs");
    assert_eq!(to, format!("/apis#group-{group}"));
    assert!(page.contains("Group created."));
    let start = page.find(&format!(r#"<tr id="group-{group}">"#)).unwrap();
    let row = &page[start..start + page[start..].find("</tr>").unwrap()];
    assert!(row.contains("<strong>Partner APIs</strong>"));
    assert!(row.contains("For our partners."));
    assert!(row.contains(&format!(
        r##"<a href="#api-{pets}">Pets 1.0</a> <span class="badge badge-gray">Production</span>"##
    )));
    assert!(row.contains(&format!(
        r##"<a href="#api-{orders}">Orders 2.0</a> <span class="badge badge-gray">Staging</span>"##
    )));
    assert_eq!(group_apis(&app, group), {
        let mut ids = vec![pets, orders];
        ids.sort();
        ids
    });

    // Names are unique, whatever the case; mistakes keep the ticks.
    let (status, _, page) = submit(
        &admin,
        "/apis/groups/new",
        "/apis/groups",
        &[("name", "partner apis"), ("api_id", &billing.to_string())],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(
        r#"<p class="field-error" id="group-name-error">Another group already has this name.</p>"#
    ));
    assert!(page.contains(&format!(r#"value="{billing}" checked>"#)));
    let (status, _, page) =
        submit(&admin, "/apis/groups/new", "/apis/groups", &[("name", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter a name for the group."));

    // Editing: a new name and other APIs.
    let edit = format!("/apis/groups/{group}");
    let (status, form) = admin.page(&edit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&format!(r#"value="{pets}" checked>"#)));
    assert!(form.contains(&format!(r#"value="{billing}">"#)));
    let (status, _, page) = submit(
        &admin,
        &edit,
        &edit,
        &[
            ("name", "Partners"),
            ("description", ""),
            ("api_id", &orders.to_string()),
            ("api_id", &billing.to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.contains("Group saved."));
    assert_eq!(group_apis(&app, group), {
        let mut ids = vec![orders, billing];
        ids.sort();
        ids
    });
    assert_eq!(group_named(&app, "Partners"), group);

    // Deleting, with the word; the APIs stay.
    let confirm = format!("/apis/groups/{group}/delete");
    let (status, page) = admin.page(&confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Delete the group “Partners”?"));
    let (status, _, _) = submit(&admin, &confirm, &confirm, &[("confirm", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, to, page) = submit(&admin, &confirm, &confirm, &[("confirm", "DELETE")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/apis#groups");
    assert!(page.contains("Group deleted."));
    assert!(page.contains("No groups yet"));
    assert_eq!(api_count(&app), 3);

    let actions = audit_actions(&app);
    for action in [
        "api-group.created",
        "api-group.updated",
        "api-group.deleted",
    ] {
        assert!(actions.contains(&action.to_owned()), "{action} is audited");
    }
    let updated = audit_of(&app, "api-group.updated");
    assert_eq!(
        updated[0].1.as_deref(),
        Some("name \"Partner APIs\" → \"Partners\"; description; 1 APIs added, 1 removed")
    );
}

#[tokio::test]
async fn another_organizations_apis_and_groups_answer_404() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let pets = add_api(
        &app,
        &admin,
        production,
        "Pets",
        "1.0",
        Some(("petstore.json", PETSTORE_JSON.as_bytes())),
    )
    .await;
    submit(
        &admin,
        "/apis/groups/new",
        "/apis/groups",
        &[("name", "Ours"), ("api_id", &pets.to_string())],
    )
    .await;
    let ours = group_named(&app, "Ours");

    let grace = admin_of_another_organization(&app).await;
    let (status, page) = grace.page("/apis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("Pets"),
        "only the organization's own catalog"
    );
    for path in [
        format!("/apis/{pets}"),
        format!("/apis/{pets}/openapi"),
        format!("/apis/{pets}/delete"),
        format!("/apis/groups/{ours}"),
        format!("/apis/groups/{ours}/delete"),
    ] {
        assert_eq!(
            grace.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    grace.page("/apis").await;
    let theirs = {
        let (status, _, _) = submit(
            &grace,
            "/environments",
            "/environments",
            &[("name", "Navy prod")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let mut conn = app.pool.get().unwrap();
        gatehouse::db::schema::environments::table
            .filter(gatehouse::db::schema::environments::name.eq("Navy prod"))
            .select(gatehouse::db::schema::environments::id)
            .first::<i64>(&mut conn)
            .unwrap()
            .to_string()
    };
    let production_id = production.to_string();
    let fields = api_fields(&production_id, "Stolen", "1", "https://x.example.com");
    for path in [format!("/apis/{pets}"), "/apis".to_owned()] {
        let response = post_multipart(&app, &grace, &path, &fields, None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    // Even with other mistakes in the form, a foreign environment is not found.
    let response = post_multipart(
        &app,
        &grace,
        "/apis",
        &api_fields(&production_id, "", "", ""),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    for (path, fields) in [
        (format!("/apis/{pets}/delete"), vec![("confirm", "DELETE")]),
        (
            format!("/apis/groups/{ours}/delete"),
            vec![("confirm", "DELETE")],
        ),
        (format!("/apis/groups/{ours}"), vec![("name", "Mine")]),
    ] {
        let response = grace.post_form(&path, &fields).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    // Their own group cannot take our API.
    let pets_id = pets.to_string();
    let response = grace
        .post_form("/apis/groups", &[("name", "Theirs"), ("api_id", &pets_id)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = grace
        .post_form("/apis/groups", &[("name", ""), ("api_id", &pets_id)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Their own environment works.
    let (status, _, page) = send(
        &app,
        &grace,
        "/apis/new",
        "/apis",
        &api_fields(&theirs, "Ships", "1", "https://ships.example.com"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");

    assert_eq!(api_count(&app), 2);
    assert_eq!(
        stored_document(&app, pets).0.as_deref(),
        Some("petstore.json")
    );
    assert_eq!(group_apis(&app, ours), vec![pets]);
}

#[tokio::test]
async fn a_member_who_is_not_an_admin_gets_403() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production");
    let pets = add_api(
        &app,
        &admin,
        production,
        "Pets",
        "1.0",
        Some(("p.json", PETSTORE_JSON.as_bytes())),
    )
    .await;
    submit(&admin, "/apis/groups/new", "/apis/groups", &[("name", "G")]).await;
    let group = group_named(&app, "G");
    let user = role_named(&app, "User");
    add_member(&app, "bob@example.com", "Bob Plain", &[user]);
    let bob = signed_in(&app, "bob@example.com").await;
    let (_, home) = bob.page("/").await;
    assert!(!home.contains(r#"href="/apis""#), "no navigation item");
    for path in [
        "/apis".to_owned(),
        "/apis/new".to_owned(),
        format!("/apis/{pets}"),
        format!("/apis/{pets}/openapi"),
        format!("/apis/{pets}/delete"),
        "/apis/groups/new".to_owned(),
        format!("/apis/groups/{group}"),
        format!("/apis/groups/{group}/delete"),
    ] {
        assert_eq!(
            bob.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "GET {path}"
        );
    }
    let production_id = production.to_string();
    let fields = api_fields(&production_id, "Mine", "1", "https://x.example.com");
    for path in ["/apis".to_owned(), format!("/apis/{pets}")] {
        let response = post_multipart(&app, &bob, &path, &fields, None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    for path in [
        format!("/apis/{pets}/delete"),
        "/apis/groups".to_owned(),
        format!("/apis/groups/{group}"),
        format!("/apis/groups/{group}/delete"),
    ] {
        let response = bob
            .post_form(&path, &[("name", "X"), ("confirm", "DELETE")])
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    assert_eq!(api_count(&app), 1);
}

#[tokio::test]
async fn multipart_posts_need_the_csrf_token() {
    let (app, admin) = spawn_app_with_admin().await;
    let production = new_environment(&app, "Production").to_string();
    admin.page("/apis/new").await;
    let fields = api_fields(&production, "Pets", "1", "https://pets.example.com");
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    // No token at all.
    let response = admin
        .http
        .post(format!("{}/apis", app.address))
        .header("content-type", content_type.as_str())
        .body(multipart_body(
            &fields,
            Some(("p.json", PETSTORE_JSON.as_bytes())),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A wrong token, in the field or (as htmx sends it) in the header.
    let mut wrong = vec![("csrf_token", "not-the-token")];
    wrong.extend_from_slice(&fields);
    let response = admin
        .http
        .post(format!("{}/apis", app.address))
        .header("content-type", content_type.as_str())
        .body(multipart_body(&wrong, None))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = admin
        .http
        .post(format!("{}/apis", app.address))
        .header("content-type", content_type.as_str())
        .header("x-csrf-token", "not-the-token")
        .body(multipart_body(&fields, None))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // The token in a later field is found too.
    let token = admin.csrf_token().unwrap();
    let mut late = fields.clone();
    late.push(("csrf_token", token.as_str()));
    let response = admin
        .http
        .post(format!("{}/apis", app.address))
        .header("content-type", content_type.as_str())
        .body(multipart_body(
            &late,
            Some(("p.json", PETSTORE_JSON.as_bytes())),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(api_count(&app), 1);
    // A cross-site multipart post is refused whatever it carries.
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_static("https://evil.example"));
    let response = post_multipart_with(&app, &admin, "/apis", &fields, None, headers).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
