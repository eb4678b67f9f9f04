## Personal access tokens (Profile → Personal access tokens, a member's panel, Policies)

tokens-title = Osobiste tokeny dostępu
tokens-lead = Tokeny pozwalają skryptom i integracjom korzystać z API Gatehouse w Twoim imieniu, w jednej organizacji, aż do ich wygaśnięcia.
tokens-link = Zarządzaj osobistymi tokenami dostępu
tokens-new-title = Nowy token
tokens-none-allowed = Żadna z Twoich organizacji nie daje Ci dostępu do API. Poproś administratora o rolę z uprawnieniem „Dostęp do API”.
tokens-name = Nazwa
tokens-name-hint = Do czego służy token, np. „Nocna synchronizacja użytkowników”.
tokens-name-required = Wpisz nazwę tokenu.
tokens-name-invalid = Użyj maksymalnie 100 znaków, bez podziałów wiersza.
tokens-organization = Organizacja
tokens-organization-hint = Token działa tylko w tej organizacji, z uprawnieniami, jakie masz w niej w chwili każdego żądania.
tokens-expiry = Wygasa
tokens-expiry-days = { $count ->
    [one] 1 dzień
    [few] { $count } dni
    [many] { $count } dni
   *[other] { $count } dnia
}
tokens-expiry-on-date = W wybranym dniu
tokens-expiry-date = Data
tokens-expiry-hint = Token przestanie działać o 23:59 tego dnia w Twojej strefie czasowej.
tokens-expiry-required = Wybierz termin wygaśnięcia tokenu.
tokens-expiry-date-invalid = Wpisz datę wygaśnięcia jako datę, np. 2027-01-31.
tokens-expiry-past = Wybierz datę późniejszą niż dzisiejsza.
tokens-expiry-too-long = { $days ->
    [one] Ta organizacja dopuszcza tokeny ważne najwyżej 1 dzień.
    [few] Ta organizacja dopuszcza tokeny ważne najwyżej { $days } dni.
    [many] Ta organizacja dopuszcza tokeny ważne najwyżej { $days } dni.
   *[other] Ta organizacja dopuszcza tokeny ważne najwyżej { $days } dnia.
}
tokens-scopes = Zakresy
tokens-scope-read = Odczyt
tokens-scope-read-write = Odczyt i zapis
tokens-choice-required = Wybierz organizację i zakres.
tokens-acts-as-you = Token działa w Twoim imieniu: każdy, kto go ma, może w organizacji robić to samo co Ty. Nie udostępniaj go nikomu; przechowuj go w menedżerze sekretów.
tokens-create = Utwórz token
tokens-created-title = Utworzono token „{ $name }”
tokens-created-once = Skopiuj token teraz. Jest wyświetlany tylko ten jeden raz: Gatehouse przechowuje wyłącznie jego odcisk.
tokens-created-label = Twój nowy token
tokens-created-hint = Wysyłaj go w nagłówku „Authorization: Bearer <token>”.
tokens-copy = Kopiuj
tokens-copied = Skopiowano
tokens-list-title = Twoje tokeny
tokens-empty = Nie masz żadnych tokenów.
tokens-created = Utworzono
tokens-expires = Wygasa
tokens-last-used = Ostatnie użycie
tokens-never-used = Nigdy
tokens-status-expired = Wygasły
tokens-status-revoked = Unieważniony
tokens-status-active = Aktywny
tokens-revoke = Unieważnij
tokens-revoke-named = Unieważnij token { $name }
tokens-revoke-title = Unieważnij token
tokens-revoke-body = Token „{ $name }” natychmiast przestanie działać w organizacji { $organization }. Żądania skryptów, które go używają, będą odrzucane. Tej operacji nie można cofnąć.
tokens-organization-invalid = Nie jesteś aktywnym członkiem tej organizacji.
tokens-api-access-required = Twoje role w tej organizacji nie obejmują dostępu do API.
tokens-address-not-allowed = Ta organizacja nie przyjmuje żądań z Twojego adresu.
tokens-two-factor-required = Najpierw przełącz się na tę organizację i wpisz jej kod uwierzytelniania dwuskładnikowego.
tokens-owner-only = Tokeny właściciela organizacji może unieważnić tylko sam właściciel.
flash-token-revoked = Unieważniono token.
flash-tokens-revoked-all = Unieważniono aktywne tokeny organizacji.
tokens-member-title = Osobiste tokeny dostępu
tokens-member-empty = Brak aktywnych tokenów.
tokens-member-revoke-title = Unieważnij token członka
tokens-member-revoke-body = Token „{ $name }” użytkownika { $owner } natychmiast przestanie działać. { $owner } otrzyma e-mail z informacją, że token został przez Ciebie unieważniony.
tokens-revoke-all-title = Unieważnij wszystkie tokeny
tokens-revoke-all-body = Wszystkie aktywne osobiste tokeny dostępu organizacji { $organization } natychmiast przestaną działać; ich właściciele będą musieli utworzyć nowe.
tokens-revoke-all-owner-spared = Tokeny właściciela zostaną zachowane: może je unieważnić tylko właściciel.
tokens-revoke-all-submit = Unieważnij wszystkie tokeny

policies-tokens = Osobiste tokeny dostępu
policies-tokens-lead = Jak długo mogą być ważne tokeny członków i jak często mogą wywoływać API.
policy-token-max-days = Maksymalny okres ważności tokenu (dni)
policies-token-max-days-hint = Od 1 do 366. Istniejące tokeny zachowują swoją datę wygaśnięcia.
policy-api-requests-per-minute = Liczba żądań API na minutę na token
policies-api-requests-hint = Od 30 do 6000. Liczone łącznie dla wszystkich instancji Gatehouse.
policy-tokens-invalid = Wpisz okres ważności od 1 do 366 dni i limit od 30 do 6000 żądań na minutę.
policies-tokens-revoke-all = Unieważnij wszystkie tokeny…

email-token-revoked-subject = Twój token Gatehouse „{ $token }” został unieważniony
email-token-revoked-body = Twój osobisty token dostępu „{ $token }” w organizacji { $organization } został unieważniony przez: { $by }. Żądania wykonywane przy jego użyciu są od teraz odrzucane. Jeśli nadal potrzebujesz tokenu, utwórz nowy.
email-token-expiring-subject = Twój token Gatehouse „{ $token }” wkrótce wygaśnie
email-token-expiring-body = Twój osobisty token dostępu „{ $token }” w organizacji { $organization } wygasa { $expires }. Utwórz nowy przed tym terminem, aby Twoje skrypty nadal działały.
email-token-check = Twoje tokeny:
email-token-button = Otwórz swoje tokeny

portal-gatehouse-api-title = API Gatehouse
portal-gatehouse-api-description = API JSON tej konsoli: członkowie, role i nie tylko – dla skryptów i integracji, z użyciem osobistych tokenów dostępu.
portal-gatehouse-api-link = Dokumentacja API Gatehouse
portal-gatehouse-api-lead = Własne API Gatehouse, wywoływane z użyciem osobistego tokenu dostępu.
