## Webhooks (the organization's owner only)

nav-webhooks = Webhooki
webhooks-title = Webhooki
webhooks-lead = Wysyłaj na bieżąco każdą zmianę w tej organizacji, z podpisem, do własnych systemów.
webhooks-add = Dodaj webhook
webhooks-empty-title = Brak webhooków
webhooks-empty-body = Dodaj webhook, aby otrzymywać żądanie HTTP POST dla wybranych zdarzeń: zaproszenia członków, zmiany ról, unieważnienia tokenów i inne.
webhooks-help-summary = Jak działa dostarczanie
webhooks-help-signing = Każde dostarczenie jest zgodne z formatem Standard Webhooks: nagłówki webhook-id, webhook-timestamp i webhook-signature (HMAC-SHA256 z sekretem podpisywania webhooka). Zanim zaufasz dostarczeniu, sprawdź podpis; ten sam webhook-id może dotrzeć dwukrotnie, więc ignoruj dostarczenia, które już zostały obsłużone.
webhooks-help-retries = Po odpowiedzi innej niż 2xx próba jest ponawiana po 5 sekundach, 5 minutach, 30 minutach oraz po 2, 5, 10 i 10 godzinach. Przekierowania nie są wykonywane. Odpowiedź 410 Gone natychmiast wyłącza webhook; po 5 dniach samych niepowodzeń webhook zostaje wyłączony i wysyłane jest powiadomienie e-mail.
webhook-url = URL
webhook-url-hint = Adres, na który Gatehouse wysyła żądanie POST dla każdego zdarzenia. Tylko https, chyba że operator tej instalacji Gatehouse zezwala na zwykłe http dla danego adresu.
webhook-description = Opis (opcjonalnie)
webhook-events = Zdarzenia
webhook-events-all = Wszystkie zdarzenia
webhook-events-only = Tylko zdarzenia zaznaczone poniżej
webhook-status = Status
webhook-last-delivery = Ostatnie dostarczenie
webhook-never = Jeszcze nic nie wysłano
webhook-deliveries = Dostarczenia
webhook-health-active = Aktywny
webhook-health-failing = Z błędami
webhook-health-paused = Wstrzymany
webhook-health-disabled = Wyłączony
webhook-disabled-gone = Odbiorca odpowiedział 410 Gone, więc dostarczanie zostało zatrzymane.
webhook-disabled-failing = Przez 5 dni wszystkie dostarczenia kończyły się niepowodzeniem, więc dostarczanie zostało zatrzymane.
webhook-failing-since = Błędy od { $since }.
webhook-banner-disabled = Webhook { $url } jest wyłączony.
webhook-banner-enable = Sprawdź go i włącz ponownie
webhook-new-title = Dodaj webhook
webhook-new-lead = Wybierz, dokąd i jakie zdarzenia wysyłać. Sekret podpisywania zostanie pokazany jeden raz, po zapisaniu.
webhook-edit-title = Webhook
webhook-state = Stan
webhook-settings = Ustawienia
webhook-send-test = Wyślij zdarzenie testowe
webhook-pause = Wstrzymaj
webhook-basic-auth = Uwierzytelnianie HTTP Basic (opcjonalnie)
webhook-basic-auth-hint = Wysyłane z każdym dostarczeniem. Pozostaw nazwę użytkownika pustą, aby nie wysyłać uwierzytelnienia.
webhook-basic-user = Nazwa użytkownika
webhook-basic-password = Hasło
webhook-basic-password-kept = Hasło jest zapisane i nigdy nie jest wyświetlane. Pozostaw pole puste, aby je zachować.
webhook-kept-placeholder = Zapisane (ukryte)
webhook-headers = Dodatkowe nagłówki (opcjonalnie)
webhook-headers-hint = Ukryta wartość nigdy nie jest ponownie wyświetlana, ani tutaj, ani w API; wpisz nową wartość, aby ją zastąpić, lub pozostaw pole puste, aby ją zachować. Aby usunąć wiersz, pozostaw oba jego pola puste.
webhook-header-name = Nazwa nagłówka { $number }
webhook-header-value = Wartość nagłówka { $number }
webhook-header-hidden = Ukryj wartość
webhook-group-members = Członkowie
webhook-group-assignments = Przypisania ról
webhook-group-roles = Role
webhook-group-environments = Środowiska i dostęp ról
webhook-group-external-users = Użytkownicy zewnętrzni
webhook-group-apis = API i grupy API
webhook-group-partners = Partnerzy
webhook-group-client-tokens = Tokeny dostępu klientów
webhook-group-tokens = Osobiste tokeny dostępu
webhook-group-policies = Zasady i organizacja
webhook-url-required = Wpisz URL, na który mają być wysyłane zdarzenia.
webhook-url-too-long = URL jest za długi (maksymalnie 2000 znaków).
webhook-url-invalid = Wpisz pełny URL, np. https://example.com/hooks/gatehouse.
webhook-url-credentials = Nazwę użytkownika i hasło wpisz w polach uwierzytelniania Basic, a nie w adresie URL.
webhook-url-http = Użyj https. Zwykłe http jest dozwolone tylko dla adresów, na które zezwala operator tej instalacji Gatehouse.
webhook-url-address = Ten adres należy do sieci prywatnej, pętli zwrotnej lub zakresu zarezerwowanego, do których webhooki nie mają dostępu.
webhook-too-many = { $count ->
    [one] Organizacja może mieć maksymalnie { $count } webhook.
    [few] Organizacja może mieć maksymalnie { $count } webhooki.
    [many] Organizacja może mieć maksymalnie { $count } webhooków.
   *[other] Organizacja może mieć maksymalnie { $count } webhooka.
}
webhook-description-invalid = Opis jest za długi (maksymalnie 200 znaków) lub zawiera znaki sterujące.
webhook-events-required = Zaznacz co najmniej jedno zdarzenie lub wybierz wszystkie zdarzenia.
webhook-events-unknown = Jedno ze zdarzeń nie należy do zdarzeń wysyłanych przez Gatehouse.
webhook-basic-auth-invalid = Wpisz nazwę użytkownika (bez dwukropka) i hasło albo pozostaw oba pola puste.
webhook-headers-too-many = { $count ->
    [one] Webhook może wysyłać maksymalnie { $count } dodatkowy nagłówek.
    [few] Webhook może wysyłać maksymalnie { $count } dodatkowe nagłówki.
    [many] Webhook może wysyłać maksymalnie { $count } dodatkowych nagłówków.
   *[other] Webhook może wysyłać maksymalnie { $count } dodatkowego nagłówka.
}
webhook-header-name-invalid = Nazwa nagłówka może zawierać tylko litery, cyfry oraz znaki - _ . (np. X-Api-Key).
webhook-header-reserved = Gatehouse ustawia ten nagłówek samodzielnie (Content-Type, nagłówki webhook-* lub Authorization przy uwierzytelnianiu Basic).
webhook-header-twice = Ten sam nagłówek podano dwukrotnie.
webhook-header-value-invalid = Wartość nagłówka nie może zawierać podziałów wiersza ani znaków sterujących i może mieć maksymalnie 1000 znaków.
webhook-header-value-required = Wpisz wartość każdego nagłówka.
webhook-not-active = Wstrzymać można tylko aktywny webhook.
webhook-already-active = Ten webhook jest już aktywny.
webhook-secret-title = Sekret podpisywania
webhook-secret = Sekret podpisywania
webhook-created-title = Dodano webhook
webhook-secret-rotated-title = Nowy sekret podpisywania
webhook-secret-once = Skopiuj teraz sekret podpisywania: nie zostanie pokazany ponownie.
webhook-secret-hint = Odbiorca używa go do sprawdzania nagłówka webhook-signature każdego dostarczenia.
webhook-secret-rotated-hint = Przez następne 24 godziny każde dostarczenie jest podpisywane zarówno starym, jak i nowym sekretem, dzięki czemu można zaktualizować odbiorcę bez utraty żadnego dostarczenia.
webhook-secret-done = Gotowe
webhook-delete-title = Usunąć ten webhook?
webhook-delete-body = Dostarczanie zostanie natychmiast zatrzymane, a wszystko, co czeka na wysłanie, zostanie odrzucone wraz z historią. Tej operacji nie można cofnąć.
webhook-delete-submit = Usuń webhook
webhook-rotate-title = Wygenerować nowy sekret podpisywania?
webhook-rotate-body = Zostanie utworzony nowy sekret, wyświetlony tylko raz. Stary sekret będzie przez 24 godziny nadal podpisywał dostarczenia równolegle z nowym.
webhook-rotate-submit = Wygeneruj nowy sekret
webhook-resume-title = Włączyć ponownie ten webhook?
webhook-resume-body = Dostarczanie zostanie wznowione od następnego zdarzenia.
webhook-resume-submit = Włącz
webhook-resume-replay = Wyślij też ponownie wszystkie zdarzenia, których dostarczenie nie powiodło się od { $since }
webhook-replay-title = Wyślij ponownie nieudane zdarzenia
webhook-replay-since = Nieudane od
webhook-replay-hint = W Twojej strefie czasowej. Każde dostarczenie, które od tego momentu się nie powiodło, zostanie wysłane ponownie z oryginalnym webhook-id.
webhook-replay-submit = Wyślij ponownie
webhook-replay-since-invalid = Wpisz datę i godzinę.
webhook-deliveries-empty-title = Jeszcze nic nie wysłano
webhook-deliveries-empty-body = Tutaj będą widoczne dostarczenia wraz z każdą próbą. Wyślij zdarzenie testowe, aby wypróbować webhook.
webhook-delivery-pending = Oczekuje
webhook-delivery-delivered = Dostarczono
webhook-delivery-failed = Niepowodzenie
webhook-next-attempt = następna próba { $at }
webhook-redeliver = Wyślij ponownie
webhook-attempts = { $count ->
    [one] 1 próba
    [few] { $count } próby
    [many] { $count } prób
   *[other] { $count } próby
}
webhook-attempt-time = Czas
webhook-attempt-result = Wynik
webhook-attempt-latency = Czas odpowiedzi
webhook-attempt-body = Odpowiedź (pierwsze 4 KB)
webhook-latency-ms = { $ms } ms
webhook-older = Starsze dostarczenia
flash-webhook-saved = Zapisano webhook.
flash-webhook-deleted = Usunięto webhook.
flash-webhook-paused = Wstrzymano webhook.
flash-webhook-resumed = Włączono webhook.
flash-webhook-test-queued = Dodano zdarzenie testowe do kolejki; pojawi się poniżej po wysłaniu.
flash-webhook-redelivery-queued = Dostarczenie zostanie za chwilę wysłane ponownie.
flash-webhook-replay-queued = Nieudane dostarczenia zostaną wysłane ponownie.
flash-webhook-replay-none = Od tego czasu żadne dostarczenie nie zakończyło się niepowodzeniem.
error-title-prefix = Błąd:
error-summary-title = Wystąpił problem
email-webhook-disabled-subject = Webhook organizacji { $organization } został wyłączony
email-webhook-disabled-body = Przez 5 dni wszystkie dostarczenia na adres { $url } kończyły się niepowodzeniem, więc Gatehouse przestał na niego wysyłać. Nieudane zdarzenia zostały zachowane: gdy odbiorca znów zacznie działać, włącz webhook i wybierz opcję ich ponownego wysłania.
email-webhook-check = Twój webhook:
email-webhook-button = Otwórz webhook
