# Polski. Klucze muszą być takie same jak w katalogu angielskim (sprawdza to test jednostkowy).
# Klucze są pogrupowane według stron; wspólne słowa są na początku.

app-name = Gatehouse
skip-to-content = Przejdź do treści
menu = Menu
nav-main = Nawigacja główna
nav-overview = Przegląd
organization = Organizacja
switch = Przełącz
confirm-wrong-case = Wpisz słowo wielkimi literami, dokładnie tak, jak zostało pokazane.
dismiss = Zamknij
sign-in = Zaloguj się
sign-out = Wyloguj się
email = E-mail
password = Hasło
go-home = Przejdź do konsoli
try-again = Spróbuj ponownie
go-to-sign-in = Przejdź do logowania
error-network = Wystąpił błąd podczas komunikacji z serwerem. Spróbuj ponownie.

## Field validation
email-required = Wpisz adres e-mail.
email-invalid = Wpisz adres e-mail w formacie nazwa@example.com.
name-required = Wpisz imię i nazwisko.
name-invalid = Imię i nazwisko może mieć maksymalnie 100 znaków i nie może zawierać podziałów wiersza.
organization-name-required = Wpisz nazwę organizacji.
organization-name-invalid = Nazwa organizacji może mieć maksymalnie 100 znaków i nie może zawierać podziałów wiersza.
password-too-short = Użyj co najmniej 12 znaków.
password-too-long = Użyj maksymalnie 128 znaków.
password-mismatch = Podane hasła nie są identyczne.
password-hint = Od 12 do 128 znaków. Kilka niepowiązanych ze sobą słów tworzy silne i łatwe do zapamiętania hasło.
password-confirmation = Powtórz hasło

## Sign-in
sign-in-title = Logowanie
sign-in-lead = Użyj adresu e-mail i hasła do swojego konta Gatehouse.
sign-in-email-missing = Wpisz swój adres e-mail.
sign-in-password-missing = Wpisz swoje hasło.
sign-in-failed = Nieprawidłowy adres e-mail lub hasło.

## First-run setup
setup-title = Konfiguracja Gatehouse
setup-lead = Utwórz organizację i jej pierwszego administratora. Ten link działa tylko raz.
organization-name = Nazwa organizacji
your-name = Imię i nazwisko
setup-submit = Utwórz organizację
setup-invalid-title = Ten link konfiguracyjny jest już nieważny
setup-invalid-body = Link konfiguracyjny działa tylko raz i tylko do chwili utworzenia pierwszego konta. Jeśli jesteś administratorem, zaloguj się; w przeciwnym razie zwróć się do osoby, która zarządza tym serwerem.

## Messages shown after a redirect
flash-signed-out = Wylogowano.
flash-session-expired = Sesja wygasła. Zaloguj się ponownie.
flash-sign-in-required = Zaloguj się, aby kontynuować.
flash-organization-switched = Przełączono organizację.
flash-setup-complete = Organizacja jest gotowa. Witamy w Gatehouse!

## Overview
overview-welcome = Witaj ponownie, { $name }.
overview-members = Członkowie
overview-roles = Role
overview-your-access = Twój dostęp
overview-owner = Jesteś właścicielem tej organizacji.
overview-permissions = Twoje role dają uprawnienia:

## Permissions
permission-read = Odczyt
permission-admin = Administracja
permission-agent-install = Instalacja agentów
permission-api-consumer = Konsument API
permission-api-access = Dostęp do API
permission-app-developer = Deweloper aplikacji (przestarzałe)

## Error pages
error-reference = Kod referencyjny:
error-400-title = Nie udało się zrozumieć żądania
error-400-body = W żądaniu czegoś brakowało lub było ono nieprawidłowe. Wróć i spróbuj ponownie.
error-403-title = Nie masz dostępu do tej strony
error-403-body = Twoje role w tej organizacji na to nie pozwalają. Administrator może zmienić Twoje role.
error-404-title = Nie znaleziono strony
error-404-body = Strona, której szukasz, nie istnieje lub nie masz do niej dostępu.
error-405-title = Ta czynność nie jest tu dostępna
error-405-body = Ten adres nie obsługuje tego rodzaju żądań.
error-413-title = Przesłano zbyt dużo danych
error-413-body = Wysłany formularz lub plik jest większy, niż dopuszcza ta strona.
error-500-title = Wystąpił błąd po naszej stronie
error-500-body = Problem został zarejestrowany. Spróbuj ponownie za chwilę.
error-503-title = Konsola jest chwilowo niedostępna
error-503-body = Baza danych w tej chwili nie odpowiada. Spróbuj ponownie za chwilę.
error-csrf-title = Ten formularz wygasł
error-csrf-body = Ze względów bezpieczeństwa nie można było przyjąć formularza. Odśwież stronę i spróbuj ponownie.
error-no-organization-title = Nie należysz do żadnej organizacji
error-no-organization-body = Twoje konto nie jest aktywne w żadnej organizacji. Poproś administratora o ponowne zaproszenie.

## Emails
email-footer = Otrzymujesz tę wiadomość, ponieważ masz konto w Gatehouse.
email-greeting = Dzień dobry, { $name }!
email-link-fallback = Jeśli przycisk nie działa, skopiuj ten link do przeglądarki:
email-reset-subject = Zresetuj hasło do Gatehouse
email-reset-intro = Otrzymaliśmy prośbę o zresetowanie hasła do Twojego konta Gatehouse. Aby ustawić nowe hasło, otwórz poniższy link.
email-reset-button = Ustaw nowe hasło
email-reset-expiry = Link działa jednokrotnie przez godzinę.
email-reset-ignore = Jeśli to nie Ty prosisz o zmianę hasła, zignoruj tę wiadomość – Twoje hasło pozostanie bez zmian.
email-test-subject = Wiadomość testowa od organizacji { $organization }
email-test-body = To jest wiadomość testowa od organizacji { $organization } w Gatehouse. Jeśli ją czytasz, wysyłka e-maili działa.

## Password reset
forgot-password = Nie pamiętasz hasła?
forgot-title = Zresetuj hasło
forgot-lead = Wpisz adres e-mail swojego konta. Jeśli takie konto istnieje, wyślemy link do ustawienia nowego hasła.
forgot-submit = Wyślij link resetujący
forgot-sent-title = Sprawdź skrzynkę e-mail
forgot-sent-body = Jeśli dla tego adresu istnieje konto, wiadomość z linkiem resetującym jest już w drodze. Link działa przez godzinę i ważny jest tylko najnowszy link. Jeśli nic nie dotrze, odczekaj kilka minut, zanim poprosisz ponownie.
back-to-sign-in = Wróć do logowania
reset-title = Ustaw nowe hasło
reset-lead = Potem nastąpi wylogowanie ze wszystkich urządzeń i będzie można zalogować się nowym hasłem.
reset-submit = Ustaw nowe hasło
new-password = Nowe hasło
reset-invalid-title = Ten link resetujący jest już nieważny
reset-invalid-body = Link resetujący działa jednokrotnie przez godzinę. Poproś o nowy.
reset-ask-again = Poproś o nowy link
flash-password-reset = Hasło zostało zmienione. Zaloguj się przy użyciu nowego hasła.

## Email deliveries
nav-deliveries = Wysyłka e-maili
deliveries-title = Wysyłka e-maili
deliveries-lead = Wiadomości e-mail wysłane lub wysyłane przez Gatehouse w imieniu tej organizacji.
deliveries-help-summary = Jak działa wysyłka
deliveries-help-retries = Każda wiadomość jest zapisywana przed wysłaniem, więc nic nie ginie, gdy serwer się zatrzyma. Gdy serwer pocztowy jest nieosiągalny lub prosi o ponowienie próby później, Gatehouse ponawia wysyłkę po 1 minucie, 5 minutach, 30 minutach i 2 godzinach, dopóki wiadomość jest jeszcze przydatna (kod logowania – tylko przez 10 minut). Wiadomość ostatecznie odrzucona przez serwer pocztowy lub taka, której czas minął, jest oznaczana jako nieudana i można ją wysłać ponownie.
deliveries-help-duplicates = Rzadko wiadomość może dotrzeć dwukrotnie: jeśli serwer zatrzyma się tuż po przyjęciu wiadomości przez serwer pocztowy, a przed odnotowaniem tego przez Gatehouse, wiadomość zostanie wysłana ponownie po wznowieniu pracy serwera. Obie kopie mają ten sam Message-ID, więc większość programów pocztowych pokazuje tylko jedną.
deliveries-empty-title = Brak wiadomości
deliveries-empty-body = Tutaj pojawią się zaproszenia i powiadomienia. Wyślij wiadomość testową, aby sprawdzić, czy wysyłka działa.
deliveries-send-test = Wyślij do mnie wiadomość testową
deliveries-recipient = Odbiorca
deliveries-subject = Temat
deliveries-status = Status
deliveries-attempts = Próby
deliveries-last-error = Ostatni błąd
deliveries-created = Dodano do kolejki
deliveries-actions = Akcje
deliveries-filter = Filtruj wysyłki
deliveries-status-all = Wszystkie
deliveries-filter-apply = Filtruj
deliveries-filter-clear = Wyczyść filtr
deliveries-no-match = Żaden e-mail nie pasuje do tego filtru.
deliveries-newest = Najnowsze
deliveries-older = Starsze
deliveries-send-again = Wyślij ponownie
delivery-status-pending = Oczekująca
delivery-status-sent = Wysłana
delivery-status-failed = Nieudana
flash-test-email-queued = Wiadomość testowa jest już w drodze.
flash-delivery-requeued = Wiadomość zostanie wysłana ponownie.

## Shared words (tables, forms, confirmations)
actions = Akcje
assign = Przypisz
cancel = Anuluj
close = Zamknij
save = Zapisz
search = Szukaj
search-shortened = { $count ->
    [one] Wyszukiwana fraza była za długa: użyto tylko jej pierwszego znaku.
    [few] Wyszukiwana fraza była za długa: użyto tylko jej pierwszych { $count } znaków.
    [many] Wyszukiwana fraza była za długa: użyto tylko jej pierwszych { $count } znaków.
   *[other] Wyszukiwana fraza była za długa: użyto tylko jej pierwszych { $count } znaku.
}
never = Nigdy
previous = Poprzednia
next = Następna
pagination = Strony
pager-range = { $from }–{ $to }
pager-range-of = { $from }–{ $to } z { $total }
table-columns = Kolumny
table-columns-legend = Widoczne kolumny i ich kolejność
table-column-position = Pozycja kolumny { $column }
confirm-type-word = Wpisz { $word }, aby potwierdzić
confirm-word-mismatch = Aby potwierdzić, wpisz dokładnie { $word } wielkimi literami.
error-rule-title = Ta zmiana jest niedozwolona
nav-users = Użytkownicy
nav-roles = Role
nav-environments = Środowiska
nav-organizations = Organizacje
flash-columns-saved = Zapisano ustawienia kolumn.

## Rules (refusals)
last-administrator = Rola Administrator musi mieć co najmniej jednego aktywnego członka. Najpierw przypisz tę rolę komuś innemu.
member-needs-role = Wybierz co najmniej jedną rolę.
member-already-exists = Ta osoba jest już członkiem organizacji.
member-already-invited = Ta osoba ma już oczekujące zaproszenie. Wyślij je ponownie z listy użytkowników.
invitation-not-pending = Ponownie wysłać lub wycofać można tylko oczekujące zaproszenia.
role-builtin = Ról wbudowanych nie można przemianować, zmieniać, dezaktywować ani usuwać.
role-name-required = Wpisz nazwę roli.
role-name-invalid = Nazwa roli może mieć maksymalnie 60 znaków i nie może zawierać podziałów wiersza.
role-name-taken = Inna rola ma już taką nazwę.
role-permissions-required = Wybierz co najmniej jedno uprawnienie.
role-permissions-invalid = Tego uprawnienia nie można nadać roli.
environment-name-required = Wpisz nazwę środowiska.
environment-name-invalid = Nazwa środowiska może mieć maksymalnie 60 znaków i nie może zawierać podziałów wiersza.
environment-name-taken = Inne środowisko ma już taką nazwę.

## Users
users-title = Użytkownicy
users-lead = Członkowie tej organizacji i ich role.
users-add = Dodaj użytkownika
users-add-lead = Zaproś osobę przez e-mail. Osoby, które mają już konto Gatehouse, od razu otrzymują dostęp; pozostałe dostają zaproszenie do rejestracji.
users-add-roles = Role
users-add-submit = Dodaj użytkownika
users-search-label = Szukaj użytkowników
users-search-placeholder = Szukaj według adresu e-mail, imienia i nazwiska lub roli
users-empty = Brak członków.
users-no-match = Brak członków pasujących do „{ $search }”.
users-col-email = E-mail
users-col-name = Imię i nazwisko
users-col-roles = Role
users-col-status = Status
users-col-last-sign-in = Ostatnie logowanie
users-col-member-since = Członek od
users-roles-action = Role
users-resend = Wyślij zaproszenie ponownie
users-revoke = Wycofaj zaproszenie
users-remove = Usuń
member-status-active = Aktywny
member-status-pending = Oczekujący
member-status-inactive = Nieaktywny
role-inactive = nieaktywna
users-roles-title = Role użytkownika { $name }
users-roles-assigned = Przypisane role
users-roles-available = Pozostałe role
users-roles-last-role-note = To jedyna rola tego członka: cofnięcie jej przypisania usunie tę osobę z organizacji.
users-roles-new = Nowa rola
users-roles-new-submit = Utwórz i przypisz
role-name = Nazwa
role-permissions = Uprawnienia
assignment-on = Włączone
assignment-off = Wyłączone
assignment-switch-on = Włącz
assignment-switch-off = Wyłącz
unassign = Cofnij przypisanie
unassign-and-remove = Cofnij przypisanie i usuń z organizacji
users-remove-title = Usuń użytkownika
users-remove-body = { $name } ({ $email }) straci wszystkie role w tej organizacji, a dostęp tej osoby wygaśnie natychmiast, również w już otwartych sesjach.
users-remove-submit = Usuń użytkownika
flash-member-invited = Wysłano zaproszenie.
flash-member-added = Ta osoba miała już konto: otrzymała dostęp i powiadomienie e-mailem.
flash-member-removed = Członek został usunięty z organizacji.
flash-invitation-resent = Wysłano nowe zaproszenie; poprzedni link przestał działać.
flash-invitation-revoked = Zaproszenie zostało wycofane.
flash-roles-assigned = Przypisano role.
flash-assignment-changed = Zaktualizowano przypisanie.
flash-role-unassigned = Cofnięto przypisanie roli.
flash-role-created-assigned = Utworzono i przypisano rolę.

## Invitations
invitation-register-title = Dołącz do organizacji { $organization }
invitation-register-lead = Zaproszenie wysłano na adres { $email }. Aby dokończyć, podaj imię i nazwisko oraz ustaw hasło.
invitation-register-submit = Utwórz konto
invitation-accept-title = Dołącz do organizacji { $organization }
invitation-accept-lead = Zaproszenie wysłano na adres { $email }, do którego jest już przypisane konto Gatehouse. Zaakceptuj je, a następnie zaloguj się jak zwykle.
invitation-accept-submit = Zaakceptuj zaproszenie
invitation-used-title = To zaproszenie zostało już wykorzystane
invitation-used-body = Każdy link z zaproszeniem działa tylko raz. Jeśli konto zostało już utworzone, zaloguj się; w przeciwnym razie poproś administratora o nowe zaproszenie.
invitation-expired-title = To zaproszenie wygasło
invitation-expired-body = Poproś administratora organizacji o wysłanie nowego.
invitation-unknown-title = Ten link z zaproszeniem jest nieprawidłowy
invitation-unknown-body = Mógł zostać zastąpiony nowszym zaproszeniem lub wycofany. Użyj najnowszej wiadomości e-mail albo zwróć się do administratora.
flash-invitation-accepted = Zaakceptowano zaproszenie. Zaloguj się, aby kontynuować.
flash-welcome = Witamy! Konto jest gotowe.
email-invitation-subject = Zaproszenie do organizacji { $organization } w Gatehouse
email-invitation-intro-text = Dzień dobry!
email-invitation-body = { $inviter } zaprasza Cię do organizacji { $organization } w Gatehouse. Otwórz poniższy link, aby utworzyć konto.
email-invitation-button = Zaakceptuj zaproszenie
email-invitation-expiry = Link działa jednokrotnie, do { $expires }.
email-granted-subject = Masz teraz dostęp do organizacji { $organization }
email-granted-body = { $inviter } przyznaje Ci dostęp do organizacji { $organization } w Gatehouse. Aby z niego korzystać, zaloguj się na swoje dotychczasowe konto.
email-granted-button = Otwórz Gatehouse

## Organizations
organizations-title = Organizacje
organizations-lead = Organizacje, do których należy Twoje konto. Edytować można tylko bieżącą; aby edytować inną, przełącz się na nią.
organizations-your-roles = Twoje role
organizations-current = Bieżąca
organizations-edit-title = Ta organizacja
flash-organization-renamed = Zmieniono nazwę organizacji.

## Roles
roles-title = Role
roles-lead = Na co każda rola pozwala swoim członkom i kto ją ma.
roles-new = Nowa rola
roles-search-label = Szukaj ról
roles-search-placeholder = Szukaj według nazwy, uprawnienia lub statusu
roles-no-match = Brak ról pasujących do „{ $search }”.
roles-no-match-body = Spróbuj innego słowa albo wyczyść wyszukiwanie, aby zobaczyć wszystkie role.
roles-clear-search = Wyczyść wyszukiwanie
roles-col-name = Rola
roles-col-permissions = Uprawnienia
roles-col-status = Status
roles-col-members = Członkowie
roles-builtin = Wbudowana
roles-open = Otwórz
roles-status-active = Aktywna
roles-status-inactive = Nieaktywna
role-builtin-administrator = Administrator
role-builtin-user = Użytkownik
roles-count = { $count ->
    [one] Jedna rola
    [few] { $count } role
    [many] { $count } ról
   *[other] { $count } roli
}
roles-count-matching = { $count ->
    [one] { $shown } z { $count } roli
    [few] { $shown } z { $count } ról
    [many] { $shown } z { $count } ról
   *[other] { $shown } z { $count } roli
}
roles-new-title = Nowa rola
roles-new-lead = Wybierz nazwę i zakres uprawnień roli. Członków można przypisać po jej utworzeniu.
roles-create-submit = Utwórz rolę
roles-permission-read-hint = Wgląd w użytkowników, role i środowiska organizacji. Najniższe uprawnienie.
roles-permission-admin-hint = Zarządzanie wszystkim w organizacji. Obejmuje wszystkie pozostałe uprawnienia.
roles-permission-agent-install-hint = Instalowanie agentów. Przydatne w połączeniu z dostępem do środowisk.
roles-permission-api-consumer-hint = Przeglądanie i testowanie interfejsów API organizacji w portalu API. Przydatne w połączeniu z dostępem do środowisk.
roles-permission-api-access-hint = Korzystanie z API Gatehouse: przeglądanie jego dokumentacji i tworzenie osobistych tokenów dostępu działających w imieniu członka.
roles-permission-app-developer-hint = Przestarzałe. Pozostaje, dopóki rola je ma; po usunięciu nie można go dodać ponownie.
roles-member-count = { $count ->
    [one] Jeden członek
    [few] { $count } członków
    [many] { $count } członków
   *[other] { $count } członka
}
roles-stepper = Inne role
roles-previous = Poprzednia rola
roles-next = Następna rola
roles-inactive-note = Ta rola jest nieaktywna: jej członkowie nie otrzymują nadawanych przez nią uprawnień, a jej dostęp do środowisk jest zawieszony do czasu ponownej aktywacji.
roles-settings-title = Nazwa i uprawnienia
roles-builtin-note = Ról wbudowanych nie można przemianować, zmieniać, dezaktywować ani usuwać.
roles-save = Zapisz zmiany
roles-status-title = Status
roles-deactivate-title = Dezaktywuj tę rolę
roles-deactivate-body = Wszyscy jej członkowie natychmiast tracą nadawane przez nią uprawnienia, a jej dostęp do środowisk zostaje zawieszony. Przypisania i ustawienia dostępu zostają zachowane na wypadek ponownej aktywacji.
roles-deactivate-submit = Dezaktywuj rolę
roles-reactivate-title = Aktywuj ponownie tę rolę
roles-reactivate-body = Jej członkowie znów otrzymują nadawane przez nią uprawnienia, a dostęp do środowisk wraca do poprzedniego stanu.
roles-reactivate-submit = Aktywuj rolę ponownie
roles-remove-title = Usuń tę rolę
roles-remove-body = Jej przypisania i dostęp do środowisk zostaną usunięte. Członkowie, dla których jest to jedyna rola, opuszczą organizację. Tej operacji nie można cofnąć.
roles-remove-submit = Usuń rolę
roles-tabs = Szczegóły roli
roles-tab-members = Przypisani użytkownicy
roles-tab-environments = Dostęp do środowisk
roles-members-empty = Nikt jeszcze nie ma tej roli.
roles-member = Członek
roles-assignment = Przypisanie
roles-assignment-active = Aktywne
roles-you = Ty
roles-unassign = Cofnij przypisanie
roles-unassign-and-remove = Cofnij przypisanie i usuń z organizacji
roles-only-role-note = To jedyna rola tego członka: cofnięcie jej przypisania usunie tę osobę z organizacji.
roles-assign-title = Przypisz członków
roles-assign-legend = Członkowie bez tej roli
roles-assign-submit = Przypisz wybranych członków
roles-assign-more = Wyświetlanych jest tylko pierwszych 200 członków według adresu e-mail. Pozostałych przypisz na stronie użytkowników.
roles-assign-none-left = Wszyscy członkowie organizacji mają już tę rolę.
roles-assign-inactive = Aktywuj rolę ponownie, aby przypisywać do niej członków.
roles-assign-none-selected = Wybierz co najmniej jednego członka do przypisania.
roles-environments-lead = Co członkowie tej roli mogą robić w poszczególnych środowiskach. Włącz to, czego potrzebują, a następnie zapisz dane środowisko.
roles-environments-suspended = Ta rola jest nieaktywna, więc poniższy dostęp jest zawieszony. Zacznie znów obowiązywać po ponownej aktywacji roli.
roles-environments-empty = Ta organizacja nie ma jeszcze żadnych środowisk.
roles-environments-manage = Zarządzaj środowiskami
env-access-view-logs = Podgląd logów
env-access-read = Odczyt
env-access-execute = Wykonywanie
env-access-write = Zapis
flash-roles-created = Utworzono rolę. Poniżej przypisz członków i dostęp do środowisk.
flash-roles-updated = Zapisano rolę.
flash-roles-deactivated = Dezaktywowano rolę. Jej członkowie nie otrzymują już nadawanych przez nią uprawnień.
flash-roles-reactivated = Ponownie aktywowano rolę.
flash-roles-removed = Usunięto rolę.
flash-roles-removed-members-left = Usunięto rolę. Członkowie, dla których była to jedyna rola, opuścili organizację.
flash-roles-members-assigned = Przypisano członków.
flash-roles-assignment-on = Włączono przypisanie.
flash-roles-assignment-off = Wyłączono przypisanie.
flash-roles-unassigned = Cofnięto przypisanie członka.
flash-roles-unassigned-member-left = Cofnięto przypisanie. Była to jedyna rola tej osoby, więc opuściła ona organizację.
flash-roles-environment-access-saved = Zapisano dostęp do środowisk.
flash-roles-no-longer-admin = Gotowe. Twoje role nie pozwalają już na zarządzanie rolami.

## Environments
environments-title = Środowiska
environments-lead = Miejsca, w których działają agenty i aplikacje organizacji. Dostęp do każdego z nich nadaje się rolom na stronie danej roli.
environments-new-title = Dodaj środowisko
environments-name = Nazwa
environments-create-submit = Dodaj środowisko
environments-empty-title = Brak środowisk
environments-empty-body = Dodaj środowisko powyżej, a następnie nadaj rolom dostęp do niego na stronie każdej roli.
environments-col-name = Środowisko
environments-col-access = Role z dostępem
environments-rename = Zmień nazwę
environments-new-name = Nowa nazwa
environments-no-access = Żadna rola nie ma dostępu.
environments-role-suspended = Rola nieaktywna
environments-access-of = Dostęp roli { $role }
environments-delete = Usuń
environments-delete-title = Usunąć środowisko „{ $name }”?
environments-delete-body = Środowisko i dostęp wszystkich ról do niego zostaną usunięte. Tej operacji nie można cofnąć.
environments-delete-roles = Te role stracą dostęp:
environments-delete-no-roles = Żadna rola nie ma do niego dostępu.
environments-delete-submit = Usuń środowisko
flash-environments-created = Dodano środowisko.
flash-environments-renamed = Zmieniono nazwę środowiska.
flash-environments-deleted = Usunięto środowisko.
users-more-actions = Więcej akcji dla { $email }

## Policies
nav-policies = Zasady
policies-title = Zasady
policies-lead = Wymagania tej organizacji wobec jej członków. Zmiany obowiązują od następnego logowania, zaproszenia lub zmiany hasła.
policies-changed-title = Zapisano. Co się zmieniło:
policies-passwords = Hasła
policies-special-hint = Co najmniej jeden ze znaków ! # $ % _ < = > lub inny znak, który nie jest literą, cyfrą ani spacją. Dotyczy nowych haseł; osoby należące do kilku organizacji muszą spełnić najsurowsze z ich wymagań.
policies-domains = Domeny e-mail członków
policies-domains-hint = Oddziel domeny przecinkami lub średnikami. Pozostaw puste, aby zezwolić na dowolną domenę. Zaproszenia spoza tych domen są odrzucane.
policies-out-of-policy = { $count ->
    [one] Jeden członek ma adres e-mail spoza tych domen:
    [few] { $count } członków ma adresy e-mail spoza tych domen:
    [many] { $count } członków ma adresy e-mail spoza tych domen:
   *[other] { $count } członka ma adresy e-mail spoza tych domen:
}
policies-agents = Zarządzanie agentami
policies-agents-lead = Przechowywane w organizacji na potrzeby jej agentów.
policies-time-zone-hint = Strefa czasowa IANA, np. Europe/Warsaw lub America/Sao_Paulo. Pozostaw puste, aby każdy agent używał własnej.
policy-password-requires-special = Hasła wymagają znaku specjalnego
policy-member-domains = Dozwolone domeny
policy-remote-agent-configuration = Zdalna konfiguracja agentów
policy-scheduler-time-zone = Strefa czasowa harmonogramu
policy-disable-connector-updates = Wyłącz automatyczne aktualizacje konektorów
policy-domains-invalid = Wpisz domeny w formacie example.com, oddzielone przecinkami lub średnikami.
policy-time-zone-invalid = Wybierz strefę czasową z listy, np. Europe/Warsaw.
member-domain-refused = Zasady organizacji dotyczące domen członków nie dopuszczają domeny tego adresu e-mail.
password-needs-special = Dodaj co najmniej jeden znak specjalny, np. ! # $ % _ < = >.
flash-policies-saved = Zapisano zasady.
flash-policies-unchanged = Nic się nie zmieniło.

## Profile
nav-profile = Profil
profile-title = Twój profil
profile-lead = Imię i nazwisko, język i strefa czasowa, hasło oraz aktywne sesje.
profile-details-title = Twoje dane
profile-name = Imię i nazwisko
profile-language = Język
profile-language-en = English
profile-language-pt-br = Português (Brasil)
profile-language-pl = Polski
profile-language-browser = Użyj języka przeglądarki
profile-language-invalid = Wybierz język z listy.
profile-time-zone = Strefa czasowa
profile-time-zone-invalid = Wybierz strefę czasową z listy.
profile-password-title = Zmień hasło
profile-password-lead = Zmiana hasła powoduje wylogowanie ze wszystkich pozostałych sesji.
profile-current-password = Obecne hasło
profile-current-password-required = Wpisz obecne hasło.
profile-current-password-wrong = To nie jest Twoje obecne hasło.
profile-current-password-locked = Zbyt wiele błędnych haseł. Odczekaj kilka minut i spróbuj ponownie.
profile-password-submit = Zmień hasło
profile-sessions-title = Aktywne sesje
profile-sessions-lead = Przeglądarki z aktywną sesją Twojego konta. Wyloguj te, których nie rozpoznajesz, a następnie zmień hasło.
profile-session-device-col = Urządzenie
profile-session-device = { $browser } w systemie { $os }
profile-session-unknown-device = Nieznane urządzenie
profile-session-this-device = To urządzenie
profile-session-signed-in = Zalogowano
profile-session-last-seen = Ostatnia aktywność
profile-session-ip = Adres IP
profile-session-sign-out = Wyloguj
profile-sign-out-others = Wyloguj wszystkie inne sesje
flash-profile-saved = Zapisano profil.
flash-password-changed = Hasło zostało zmienione. Pozostałe sesje zostały wylogowane.
flash-session-ended = Wylogowano sesję.
flash-other-sessions-ended = Wylogowano wszystkie inne sesje.
policies-members = Członkowie
policies-ip = Sieć
policy-password-expiry-days = Ważność hasła (dni)
policy-password-history = Liczba poprzednich haseł, których nie można użyć ponownie
policy-inactivity-days = Dni bez logowania, po których członek staje się nieaktywny
policy-ip-allow-list = Dozwolone adresy
policies-expiry-hint = Przy pierwszym logowaniu po upływie tego czasu członek musi najpierw ustawić nowe hasło. 0 oznacza „nigdy”.
policies-history-hint = Nowe hasło nie może być żadnym z tylu poprzednich haseł. 0 wyłącza to ograniczenie.
policies-inactivity-hint = Nieaktywni członkowie nie mogą działać w tej organizacji, dopóki administrator nie aktywuje ich ponownie. 0 oznacza „nigdy”.
policies-ip-hint = Adresy i zakresy (CIDR), IPv4 lub IPv6, oddzielone przecinkami. Żądania z innych adresów są odrzucane, ale tylko w tej organizacji. Twój obecny adres: { $address }.
policies-lockout-warning = Ta lista nie obejmuje Twojego obecnego adresu ({ $address }). Po jej zapisaniu stracisz dostęp do tej organizacji.
policies-lockout-confirm = Rozumiem, zapisz mimo to
policy-numbers-invalid = Wpisz liczby całkowite: dni od 0 do 3650, poprzednie hasła od 0 do 24.
policy-ip-invalid = Wpisz adresy, np. 203.0.113.7, lub zakresy, np. 198.51.100.0/24, oddzielone przecinkami.
users-reactivate = Aktywuj ponownie
member-not-inactive = Ponownie aktywować można tylko nieaktywnych członków.
flash-member-reactivated = Członek jest znów aktywny.

## Password history
password-reused = { $count ->
    [one] To hasło było niedawno używane. Wybierz hasło inne niż poprzednie.
    [few] To hasło było niedawno używane. Wybierz hasło inne niż { $count } ostatnie hasła.
    [many] To hasło było niedawno używane. Wybierz hasło inne niż { $count } ostatnich haseł.
   *[other] To hasło było niedawno używane. Wybierz hasło inne niż { $count } ostatniego hasła.
}
password-expired-title = Twoje hasło wygasło
password-expired-lead = Organizacja wymaga okresowej zmiany hasła. Ustaw nowe hasło, aby kontynuować.
password-expired-submit = Zmień hasło i kontynuuj
address-not-allowed = Ta organizacja nie przyjmuje żądań z Twojego adresu sieciowego. Poproś jednego z jej administratorów o dodanie go do dozwolonych adresów.

policies-two-factor = Uwierzytelnianie dwuskładnikowe
policy-two-factor-mode = Wymagaj kodu przy logowaniu
policy-two-factor-days = Zaufaj urządzeniu na (dni)
policies-two-factor-off = Wyłączone
policies-two-factor-periodic = Co N dni na każdym urządzeniu
policies-two-factor-always = Przy każdym logowaniu
policies-two-factor-hint = Dotyczy opcji „Co N dni”: od 1 do 365.
policy-two-factor-invalid = Wybierz jedną z opcji uwierzytelniania dwuskładnikowego.
policy-two-factor-days-invalid = Wpisz liczbę dni od 1 do 365.
two-factor-title = Wpisz kod
two-factor-lead = Wysłaliśmy 6-cyfrowy kod na adres { $email }. Jest ważny przez 10 minut.
two-factor-code = Kod
two-factor-submit = Zweryfikuj
two-factor-resend = Wyślij nowy kod
two-factor-wrong = { $count ->
    [one] Błędny kod. Pozostała 1 próba.
    [few] Błędny kod. Pozostały { $count } próby.
    [many] Błędny kod. Pozostało { $count } prób.
   *[other] Błędny kod. Pozostało { $count } próby.
}
two-factor-voided = Zbyt wiele błędnych prób: ten kod już nie działa. Wyślij nowy kod.
two-factor-expired = Ten kod wygasł. Wyślij nowy kod.
two-factor-sent = Nowy kod jest już w drodze.
two-factor-wait = { $count ->
    [one] O nowy kod możesz poprosić za 1 sekundę.
    [few] O nowy kod możesz poprosić za { $count } sekundy.
    [many] O nowy kod możesz poprosić za { $count } sekund.
   *[other] O nowy kod możesz poprosić za { $count } sekundy.
}
two-factor-start-over = Ze względów bezpieczeństwa to logowanie zostało przerwane. Zaloguj się ponownie przy użyciu hasła.
email-two-factor-subject = Twój kod logowania
email-two-factor-intro = Użyj tego kodu, aby dokończyć logowanie do organizacji { $organization }:
email-two-factor-expiry = Kod jest ważny przez 10 minut i działa tylko raz. Jeśli to nie Ty próbujesz się zalogować, zmień hasło.
