# Aplikacje uwierzytelniające: Profil → Weryfikacja dwuetapowa, strona kodu przy logowaniu i zasada.

policy-two-factor-email-fallback = Członkowie z aplikacją uwierzytelniającą mogą zamiast tego poprosić o kod e-mailem
policies-two-factor-email-fallback-hint = Osoby, które skonfigurowały aplikację uwierzytelniającą w profilu, są proszone o jej kod. Wyłącz, aby przyjmować od nich tylko kody z aplikacji i kody odzyskiwania.

two-factor-app-lead = Otwórz aplikację uwierzytelniającą i wpisz 6-cyfrowy kod, który pokazuje dla Gatehouse.
two-factor-app-or-email-lead = Wpisz kod wysłany na adres { $email } albo kod z aplikacji uwierzytelniającej.
two-factor-recovery-hint = Zgubiony telefon? Wpisz jeden z kodów odzyskiwania.
two-factor-email-instead = Wyślij mi kod e-mailem
two-factor-wrong-app-code = Ten kod jest błędny albo został już użyty. Wpisz kod, który aplikacja pokazuje teraz.
flash-recovery-code-used = Zalogowano kodem odzyskiwania, którego nie można użyć ponownie. Jeśli zgubiono telefon, wyłącz tutaj aplikację uwierzytelniającą i skonfiguruj ją ponownie.
flash-authenticator-removed = Aplikacja uwierzytelniająca została wyłączona. Kody odzyskiwania już nie działają.

authenticator-title = Weryfikacja dwuetapowa
authenticator-lead = Gdy organizacja wymaga drugiego kroku przy logowaniu, użyj kodu z aplikacji w telefonie, np. Google Authenticator, Microsoft Authenticator lub 1Password.
authenticator-profile-lead = Używaj aplikacji uwierzytelniającej zamiast kodów e-mailem, gdy organizacja wymaga drugiego kroku.
authenticator-unavailable = Aplikacje uwierzytelniające nie są jeszcze dostępne na tym serwerze: administrator musi ustawić GATEHOUSE_SECRET_KEY.
authenticator-app = Aplikacja uwierzytelniająca
authenticator-on = Włączona
authenticator-off = Wyłączona
authenticator-off-lead = Bez aplikacji organizacja wysyła kod e-mailem, gdy go wymaga.
authenticator-set-up = Skonfiguruj aplikację uwierzytelniającą
authenticator-manage = Zarządzaj
authenticator-setup-title = Konfiguracja aplikacji uwierzytelniającej
authenticator-step-scan = Zeskanuj ten kod QR aplikacją uwierzytelniającą.
authenticator-qr-label = Kod QR, który dodaje Gatehouse do aplikacji uwierzytelniającej
authenticator-step-key = Nie możesz zeskanować? Wpisz w aplikacji ten klucz:
authenticator-step-code = Wpisz 6-cyfrowy kod, który pokazuje aplikacja
authenticator-confirm = Włącz
authenticator-cancel = Anuluj konfigurację
authenticator-code-required = Wpisz 6-cyfrowy kod z aplikacji.
authenticator-code-wrong = Ten kod się nie zgadza. Sprawdź, czy telefon ustawia czas automatycznie, i wpisz kod, który aplikacja pokazuje teraz.
authenticator-recovery-title = Kody odzyskiwania
authenticator-recovery-once = Zapisz te kody teraz w bezpiecznym miejscu: są pokazywane tylko raz. Każdy pozwala zalogować się jeden raz, jeśli zgubisz telefon.
authenticator-recovery-download = Pobierz
authenticator-recovery-saved = Kody są zapisane
authenticator-on-since = Włączona od { $date }.
authenticator-codes-left = { $count ->
    [one] Został 1 z { $total } kodów odzyskiwania.
    [few] Zostały { $count } z { $total } kodów odzyskiwania.
    [many] Zostało { $count } z { $total } kodów odzyskiwania.
   *[other] Zostało { $count } z { $total } kodów odzyskiwania.
}
authenticator-renew-title = Nowe kody odzyskiwania
authenticator-renew-lead = Wygeneruj 10 nowych kodów; obecne przestaną działać. Wpisz hasło, aby kontynuować.
authenticator-renew = Wygeneruj nowe kody
authenticator-turn-off-title = Wyłącz aplikację uwierzytelniającą
authenticator-turn-off-lead = Organizacja znów będzie wysyłać kody e-mailem. Wpisz hasło, aby kontynuować.
authenticator-turn-off = Wyłącz
authenticator-reset-menu = Zresetuj weryfikację dwuetapową
authenticator-reset-title = Zresetuj weryfikację dwuetapową
authenticator-reset-body = { $email } nie będzie już pytany o kod z aplikacji uwierzytelniającej, a kody odzyskiwania przestaną działać. Do czasu ponownej konfiguracji aplikacji logowanie odbywa się kodami e-mailem. Zrób to, gdy ta osoba zgubiła telefon i kody odzyskiwania, po upewnieniu się, że to ona prosi.
authenticator-reset-submit = Zresetuj aplikację uwierzytelniającą
authenticator-reset-none-body = { $email } nie ma aplikacji uwierzytelniającej: nie ma czego resetować.
authenticator-reset-back = Wróć do użytkowników
authenticator-reset-owner = Tylko właściciel wyłącza swoją aplikację uwierzytelniającą, w profilu. Jeśli nie może się zalogować, zezwól na jakiś czas na kody e-mailem w Zasady → Uwierzytelnianie dwuskładnikowe.
authenticator-reset-other-organizations = Ta osoba należy też do innych organizacji, które jej aplikacja również chroni, więc tylko ona ją wyłącza, w profilu. Jeśli nie może się zalogować, zezwól na jakiś czas na kody e-mailem w Zasady → Uwierzytelnianie dwuskładnikowe.
authenticator-reset-none = Ten członek nie ma aplikacji uwierzytelniającej.
flash-authenticator-reset = Aplikacja uwierzytelniająca została zresetowana. Członek loguje się kodami e-mailem, dopóki nie skonfiguruje nowej.
