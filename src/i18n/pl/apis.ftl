# apis
## The APIs page: the organization's API catalog per environment, and API groups.
apis-nav = API
apis-title = API
apis-lead = API udostępniane przez organizację w poszczególnych środowiskach, wraz z dokumentami OpenAPI, oraz grupy przydzielane użytkownikom zewnętrznym.
apis-new = Nowe API
apis-group-new = Nowa grupa
apis-by-environment = API według środowisk
apis-no-environments-title = Brak środowisk
apis-no-environments-body = Każde API należy do jakiegoś środowiska. Najpierw dodaj środowisko, a potem wróć tutaj, aby dodać jego API.
apis-no-environments-action = Przejdź do środowisk
apis-add-here = Dodaj tu API
apis-environment-empty = W tym środowisku nie ma jeszcze żadnych API.
apis-in-environment = API w środowisku { $environment }
apis-col-api = API
apis-col-base-url = Bazowy URL
apis-col-document = Dokument OpenAPI
apis-no-document = Brak dokumentu
apis-operation-count = { $count ->
    [0] Brak operacji
    [one] { $count } operacja
    [few] { $count } operacje
    [many] { $count } operacji
   *[other] { $count } operacji
}
apis-edit = Edytuj
apis-delete = Usuń

## API groups
apis-groups-title = Grupy API
apis-groups-lead = Grupa to nazwany zestaw API z dowolnych środowisk, dzięki któremu można przydzielić je użytkownikom zewnętrznym za jednym razem.
apis-groups-empty-title = Brak grup
apis-groups-empty-body = Utwórz grupę, aby przydzielać kilka API jednocześnie.
apis-groups-empty-no-apis = Najpierw dodaj API; potem będzie można zebrać je w grupy.
apis-col-group = Grupa
apis-col-group-apis = API
apis-group-no-apis = Brak API w tej grupie.

## The API form
apis-new-title = Nowe API
apis-new-lead = Opisz API i, jeśli masz jego dokument OpenAPI, prześlij go.
apis-details-title = Szczegóły API
apis-edit-title = Edytuj API
apis-environment = Środowisko
apis-environment-choose = Wybierz środowisko
apis-name = Nazwa
apis-version = Wersja
apis-version-hint = Na przykład 1.0 lub v2. Nazwa i wersja muszą być unikalne w obrębie środowiska.
apis-description = Opis
apis-optional = (opcjonalnie)
apis-base-url = Bazowy URL
apis-base-url-hint = Adres wywoływany przez klientów, np. https://api.example.com/v1
apis-document = Dokument OpenAPI
apis-document-replace = Zastąp dokument OpenAPI
apis-document-hint = Plik JSON lub YAML zgodny z OpenAPI 3.0, 3.1 lub Swagger 2.0, maksymalnie 2 MiB.
apis-document-current = Bieżący dokument: { $name }. Zostanie zachowany, chyba że wybierzesz nowy plik lub go usuniesz.
apis-document-remove = Usuń dokument
apis-document-choose-again = Wybierz plik ponownie: przeglądarki nie zachowują wybranego pliku, gdy formularz wraca do poprawki.
apis-document-download = Pobierz { $name }
apis-create-submit = Dodaj API
apis-save = Zapisz zmiany
apis-operations-title = Operacje
apis-operations-none = To API nie ma dokumentu OpenAPI, więc nie wyświetlono żadnych operacji.
apis-col-method = Metoda
apis-col-path = Ścieżka
apis-col-summary = Podsumowanie

## Mistakes in the API form
apis-environment-required = Wybierz środowisko, do którego należy API.
apis-name-required = Wpisz nazwę API.
apis-name-invalid = Nazwa API może mieć maksymalnie 100 znaków i nie może zawierać podziałów wiersza.
apis-name-taken = W tym środowisku istnieje już API o tej nazwie i wersji.
apis-version-required = Wpisz wersję, np. 1.0.
apis-version-invalid = Wersja może mieć maksymalnie 50 znaków i nie może zawierać podziałów wiersza.
apis-description-invalid = Opis może mieć maksymalnie 2000 znaków.
apis-base-url-required = Wpisz bazowy URL API.
apis-base-url-invalid = Wpisz pełny adres zaczynający się od http:// lub https://, np. https://api.example.com/v1, bez nazwy użytkownika i hasła.

## Refused OpenAPI documents
apis-openapi-empty = Plik jest pusty.
apis-openapi-too-large = Plik jest większy niż 2 MiB.
apis-openapi-not-text = Plik nie jest plikiem tekstowym w kodowaniu UTF-8.
apis-openapi-syntax = Plik nie jest ani poprawnym plikiem JSON, ani poprawnym plikiem YAML.
apis-openapi-syntax-line = Plik nie jest ani poprawnym plikiem JSON, ani poprawnym plikiem YAML: błąd w wierszu { $line }.
apis-openapi-not-mapping = Plik nie jest dokumentem OpenAPI: na najwyższym poziomie powinien zawierać klucze takie jak openapi, info i paths.
apis-openapi-no-version = Dokument nie określa, z którą wersją jest zgodny: wymagany jest wpis openapi: "3.0.x" lub "3.1.x" (albo swagger: "2.0") zapisany jako tekst.
apis-openapi-unsupported-version = Dokument jest zgodny z { $found }; Gatehouse obsługuje OpenAPI 3.0, 3.1 i Swagger 2.0.
apis-openapi-no-info = Dokument wymaga sekcji info z tytułem i wersją, obu zapisanych jako tekst.
apis-openapi-no-paths = Dokument wymaga sekcji paths z listą ścieżek API.
apis-openapi-invalid-path = Ścieżka „{ $path }” jest nieprawidłowa: ścieżki zaczynają się od / i zawierają swoje operacje (get, post…) jako sekcje.

## Group form
apis-group-new-title = Nowa grupa API
apis-group-name = Nazwa
apis-group-apis = API w grupie
apis-group-apis-hint = Zaznacz API z dowolnych środowisk, które ma udostępniać ta grupa.
apis-group-no-apis-yet = Nie ma jeszcze żadnych API; można je dodać do grupy później.
apis-group-create-submit = Utwórz grupę
apis-group-name-required = Wpisz nazwę grupy.
apis-group-name-invalid = Nazwa grupy może mieć maksymalnie 100 znaków i nie może zawierać podziałów wiersza.
apis-group-name-taken = Inna grupa ma już taką nazwę.

## Deleting
apis-delete-api-title = Usunąć API „{ $name }”?
apis-delete-api-body = API zostanie usunięte ze środowiska { $environment } wraz z dokumentem OpenAPI. Tej operacji nie można cofnąć.
apis-delete-api-groups = Zostanie usunięte z tych grup:
apis-delete-api-external-users = { $count ->
    [one] Jeden użytkownik zewnętrzny straci dostęp przyznany do tego API.
    [few] { $count } użytkowników zewnętrznych straci dostęp przyznany do tego API.
    [many] { $count } użytkowników zewnętrznych straci dostęp przyznany do tego API.
   *[other] { $count } użytkownika zewnętrznego straci dostęp przyznany do tego API.
}
apis-delete-api-submit = Usuń API
apis-delete-group-title = Usunąć grupę „{ $name }”?
apis-delete-group-body = Grupa zostanie usunięta; jej API pozostaną w katalogu. Tej operacji nie można cofnąć.
apis-delete-group-external-users = { $count ->
    [one] Jeden użytkownik zewnętrzny straci dostęp, który dawała ta grupa.
    [few] { $count } użytkowników zewnętrznych straci dostęp, który dawała ta grupa.
    [many] { $count } użytkowników zewnętrznych straci dostęp, który dawała ta grupa.
   *[other] { $count } użytkownika zewnętrznego straci dostęp, który dawała ta grupa.
}
apis-delete-group-submit = Usuń grupę

## Messages after a change
apis-flash-api-created = Dodano API.
apis-flash-api-updated = Zapisano API.
apis-flash-api-deleted = Usunięto API.
apis-flash-group-created = Utworzono grupę.
apis-flash-group-updated = Zapisano grupę.
apis-flash-group-deleted = Usunięto grupę.
