# apis
## The APIs page: the organization's API catalog per environment, and API groups.
apis-nav = APIs
apis-title = APIs
apis-lead = The APIs your organization offers in each environment, with their OpenAPI documents, and the groups you give external users.
apis-new = New API
apis-group-new = New group
apis-by-environment = APIs by environment
apis-no-environments-title = No environments yet
apis-no-environments-body = Every API lives in an environment. Add an environment first, then come back to add its APIs.
apis-no-environments-action = Go to Environments
apis-add-here = Add an API here
apis-environment-empty = No APIs in this environment yet.
apis-in-environment = APIs in { $environment }
apis-col-api = API
apis-col-base-url = Base URL
apis-col-document = OpenAPI document
apis-no-document = No document
apis-operation-count = { $count ->
    [0] No operations
    [one] { $count } operation
   *[other] { $count } operations
}
apis-edit = Edit
apis-delete = Delete

## API groups
apis-groups-title = API groups
apis-groups-lead = A group is a named set of APIs from any of your environments, so that you can give them to external users in one go.
apis-groups-empty-title = No groups yet
apis-groups-empty-body = Create a group to give several APIs at once.
apis-groups-empty-no-apis = Add APIs first; then you can gather them into groups.
apis-col-group = Group
apis-col-group-apis = APIs
apis-group-no-apis = No APIs in this group.

## The API form
apis-new-title = New API
apis-new-lead = Describe the API and, if you have one, upload its OpenAPI document.
apis-details-title = API details
apis-edit-title = Edit the API
apis-environment = Environment
apis-environment-choose = Choose an environment
apis-name = Name
apis-version = Version
apis-version-hint = For example 1.0 or v2. Name and version must be unique in the environment.
apis-description = Description
apis-optional = (optional)
apis-base-url = Base URL
apis-base-url-hint = The address clients call, for example https://api.example.com/v1
apis-document = OpenAPI document
apis-document-replace = Replace the OpenAPI document
apis-document-hint = A JSON or YAML file following OpenAPI 3.0, 3.1 or Swagger 2.0, up to 2 MiB.
apis-document-current = Current document: { $name }. It stays unless you choose a new file or remove it.
apis-document-remove = Remove the document
apis-document-choose-again = Choose the file again: browsers do not keep a chosen file when the form comes back.
apis-document-download = Download { $name }
apis-create-submit = Add API
apis-save = Save changes
apis-operations-title = Operations
apis-operations-none = This API has no OpenAPI document, so no operations are listed.
apis-col-method = Method
apis-col-path = Path
apis-col-summary = Summary

## Mistakes in the API form
apis-environment-required = Choose the environment the API belongs to.
apis-name-required = Enter a name for the API.
apis-name-invalid = API names can have up to 100 characters and no line breaks.
apis-name-taken = This environment already has an API with this name and version.
apis-version-required = Enter a version, for example 1.0.
apis-version-invalid = Versions can have up to 50 characters and no line breaks.
apis-description-invalid = Descriptions can have up to 2000 characters.
apis-base-url-required = Enter the API's base URL.
apis-base-url-invalid = Enter a full address starting with http:// or https://, for example https://api.example.com/v1, without a user name or password.

## Refused OpenAPI documents
apis-openapi-empty = The file is empty.
apis-openapi-too-large = The file is larger than 2 MiB.
apis-openapi-not-text = The file is not a text file in UTF-8.
apis-openapi-syntax = The file is neither valid JSON nor valid YAML.
apis-openapi-syntax-line = The file is neither valid JSON nor valid YAML: there is a mistake on line { $line }.
apis-openapi-not-mapping = The file is not an OpenAPI document: its top level should hold keys such as openapi, info and paths.
apis-openapi-no-version = The document does not say which version it follows: it needs openapi: "3.0.x" or "3.1.x" (or swagger: "2.0"), written as text.
apis-openapi-unsupported-version = The document follows { $found }; Gatehouse reads OpenAPI 3.0, 3.1 and Swagger 2.0.
apis-openapi-no-info = The document needs an info section with a title and a version, both as text.
apis-openapi-no-paths = The document needs a paths section listing the API's paths.
apis-openapi-invalid-path = The path “{ $path }” is not valid: paths start with / and hold their operations (get, post…) as sections.

## Group form
apis-group-new-title = New API group
apis-group-name = Name
apis-group-apis = APIs in the group
apis-group-apis-hint = Tick the APIs this group gives, from any environment.
apis-group-no-apis-yet = There are no APIs yet; you can add them to the group later.
apis-group-create-submit = Create group
apis-group-name-required = Enter a name for the group.
apis-group-name-invalid = Group names can have up to 100 characters and no line breaks.
apis-group-name-taken = Another group already has this name.

## Deleting
apis-delete-api-title = Delete the API “{ $name }”?
apis-delete-api-body = The API is removed from the { $environment } environment, with its OpenAPI document. This cannot be undone.
apis-delete-api-groups = It is taken out of these groups:
apis-delete-api-external-users = { $count ->
    [one] One external user loses the access given to this API.
   *[other] { $count } external users lose the access given to this API.
}
apis-delete-api-submit = Delete API
apis-delete-group-title = Delete the group “{ $name }”?
apis-delete-group-body = The group is deleted; its APIs stay in the catalog. This cannot be undone.
apis-delete-group-external-users = { $count ->
    [one] One external user loses the access this group gave.
   *[other] { $count } external users lose the access this group gave.
}
apis-delete-group-submit = Delete group

## Messages after a change
apis-flash-api-created = API added.
apis-flash-api-updated = API saved.
apis-flash-api-deleted = API deleted.
apis-flash-group-created = Group created.
apis-flash-group-updated = Group saved.
apis-flash-group-deleted = Group deleted.
