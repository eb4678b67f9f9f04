# external_users
## The users page's "External users" tab: people with access to the API portal only.
external-tabs-label = Użytkownicy
external-tab-members = Członkowie
external-tab-external = Użytkownicy zewnętrzni
external-title = Użytkownicy zewnętrzni
external-lead = Osoby spoza organizacji, które przez ograniczony czas mają dostęp wyłącznie do jej portalu API.
external-search-label = Szukaj użytkowników zewnętrznych
external-search-placeholder = Szukaj według adresu e-mail, imienia i nazwiska lub firmy
external-empty = Brak użytkowników zewnętrznych.
external-no-match = Brak użytkowników zewnętrznych pasujących do „{ $search }”.
external-col-email = E-mail
external-col-name = Imię i nazwisko
external-col-company = Firma
external-col-status = Status
external-col-access = Dostęp do
external-col-expires = Wygaśnięcie dostępu
external-col-last-sign-in = Ostatnie logowanie
external-col-member-since = Użytkownik od
external-status-requested = Zaproszony
external-status-active = Aktywny
external-status-suspended = Zawieszony
external-status-expired = Wygasły
external-access-none = Jeszcze brak
external-access-group-label = Grupa:
external-access-more = +{ $count } więcej
external-expires-never = Nigdy
external-expires-ends = wygasa { $at } (Twój czas lokalny)
external-access-action = Dostęp
external-more-actions = Więcej akcji dla { $email }
external-resend = Wyślij zaproszenie ponownie
external-resend-choose = Wyślij zaproszenie ponownie…
external-edit = Zmień datę wygaśnięcia
external-suspend = Zawieś
external-reactivate = Aktywuj ponownie
external-delete = Usuń
## Inviting, and the expiry fields.
external-invite = Zaproś użytkownika zewnętrznego
external-invite-lead = Ta osoba otrzyma e-mail z linkiem do rejestracji w portalu API. Nigdy nie uzyska dostępu do tej konsoli.
external-invite-email-hint = Nie może to być adres e-mail członka tej organizacji.
external-invite-submit = Wyślij zaproszenie
external-expiry-legend = Wygaśnięcie dostępu
external-expiry-never = Nigdy
external-expiry-on-date = W wybranym dniu
external-expires-on = Ostatni dzień dostępu
external-expiry-hint = Dostęp kończy się o 23:59 tego dnia w strefie czasowej tej osoby (do czasu jej rejestracji: { $zone }).
external-expiry-hint-registered = Dostęp kończy się o 23:59 tego dnia we własnej strefie czasowej tej osoby ({ $zone }).
## Resending, changing the expiry, deleting.
external-edit-title = Wygaśnięcie dostępu: { $email }
external-edit-lead = Zmień termin zakończenia dostępu do portalu API.
external-resend-title = Nowe zaproszenie dla { $email }
external-resend-lead = Zostanie wysłany nowy e-mail rejestracyjny; poprzedni link przestanie działać.
external-resend-expired-lead = Dostęp wygasł. Wybierz nową datę wygaśnięcia: zostanie wysłany nowy e-mail rejestracyjny, a poprzedni link przestanie działać.
external-resend-submit = Wyślij nowy link
external-delete-title = Usuń użytkownika zewnętrznego
external-delete-body = { $email } natychmiast straci dostęp do portalu API, również w już otwartych sesjach. Linki z zaproszeniami tej osoby przestaną działać.
external-delete-submit = Usuń użytkownika zewnętrznego
## The "Access to" drawer.
external-access-title = Dostęp: { $email }
external-access-lead = Wybierz grupy API i pojedyncze API, z których ta osoba może korzystać w portalu API.
external-access-empty-catalog = Nie ma jeszcze żadnych API ani grup API.
external-access-groups = Grupy API
external-access-group-apis = { $count ->
    [one] { $count } API
    [few] { $count } API
    [many] { $count } API
   *[other] { $count } API
}
external-access-environment = API w środowisku { $environment }
## Refusals.
external-date-required = Wybierz ostatni dzień dostępu.
external-date-invalid = Wpisz datę w formacie 2026-11-30.
external-date-past = Wybierz dzisiejszą lub późniejszą datę.
external-is-member = Ta osoba jest członkiem organizacji. Użytkownicy zewnętrzni to osoby spoza niej.
external-already-invited = Ta osoba jest już użytkownikiem zewnętrznym tej organizacji.
external-resend-needs-expiry = Dostęp wygasł: najpierw wybierz nową datę wygaśnięcia.
external-resend-not-allowed = Zaproszenie można wysłać ponownie tylko do użytkowników zewnętrznych o statusie „Zaproszony” lub „Wygasły”.
external-edit-not-allowed = Datę wygaśnięcia można zmienić tylko aktywnym lub zawieszonym użytkownikom zewnętrznym. Osobie, której dostęp wygasł, wyślij zaproszenie ponownie.
external-suspend-not-allowed = Zawiesić można tylko aktywnych użytkowników zewnętrznych.
external-reactivate-not-allowed = Ponownie aktywować można tylko zawieszonych użytkowników zewnętrznych.
## Messages after a change.
external-flash-invited = Wysłano zaproszenie.
external-flash-resent = Wysłano nowe zaproszenie; poprzedni link przestał działać.
external-flash-expiry-changed = Zmieniono datę wygaśnięcia dostępu.
external-flash-suspended = Zawieszono użytkownika zewnętrznego. Dostęp tej osoby natychmiast się zakończył.
external-flash-reactivated = Ponownie aktywowano użytkownika zewnętrznego.
external-flash-deleted = Usunięto użytkownika zewnętrznego. Dostęp tej osoby natychmiast się zakończył.
external-flash-access-saved = Zapisano dostęp.
## The registration email.
external-email-subject = Twój dostęp do portalu API organizacji { $organization }
external-email-body = { $inviter } zaprasza Cię do portalu API organizacji { $organization } w Gatehouse. Otwórz poniższy link, aby się zarejestrować.
external-email-button = Zarejestruj się
external-email-access-never = Twój dostęp nie ma daty zakończenia.
external-email-access-until = Twój dostęp obowiązuje do { $date }, do godz. 23:59 (strefa czasowa: { $zone }).
