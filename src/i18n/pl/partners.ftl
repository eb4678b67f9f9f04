# partners
partner-domain-refused = Ten partner przyjmuje członków tylko z zarejestrowanych domen e-mail.
nav-partners = Partnerzy
partners-title = Partnerzy
partners-lead = Firmy, z którymi współpracujesz. Każdy zarejestrowany partner otrzymuje własną organizację; jej członkowie widzą w portalu API te API, które z nim powiążesz.
partners-register = Zarejestruj partnera
partners-register-title = Rejestracja partnera
partners-continue = Kontynuuj rejestrację
partners-continue-named = Kontynuuj rejestrację partnera { $name }
partners-remaining = Pozostało: { $remaining } z { $max }
partners-remaining-short = { $count ->
    [one] Możesz zarejestrować jeszcze 1 partnera.
    [few] Możesz zarejestrować jeszcze { $count } partnerów.
    [many] Możesz zarejestrować jeszcze { $count } partnerów.
   *[other] Możesz zarejestrować jeszcze { $count } partnera.
}
partners-limit-note = Twoja organizacja osiągnęła limit partnerów ({ $max }). Aby zarejestrować kolejnego, dezaktywuj jednego z obecnych.
partners-limit-reached = Twoja organizacja zarejestrowała już maksymalną dozwoloną liczbę partnerów. Aby zarejestrować kolejnego, dezaktywuj jednego z obecnych.
partners-empty-title = Brak partnerów
partners-empty-body = Zarejestruj firmę partnerską, aby dać jej pracownikom dostęp do wybranych API.
partners-caption = Zarejestrowani partnerzy
partners-col-partner = Partner
partners-col-status = Status
partners-col-domains = Domeny e-mail
partners-col-admin = Administrator partnera
partners-col-apis = Powiązane API
partners-registered-on = Zarejestrowano { $date }
partners-linked-count = { $count ->
    [0] Brak
    [one] 1 API lub grupa
    [few] { $count } API lub grupy
    [many] { $count } API lub grup
   *[other] { $count } API lub grupy
}
partners-settings = Ustawienia
partners-view = Wyświetl
partners-status-active = Aktywny
partners-status-pending = Oczekujący
partners-status-deactivated = Dezaktywowany
partners-admin-invited = Wysłano zaproszenie
# The wizard
partners-steps = Kroki rejestracji
partners-step-of = Krok { $step } z { $count }
partners-step-done = ukończony
partners-step-info = Informacje o partnerze
partners-step-domains = Domeny e-mail
partners-step-admin = Administrator partnera
partners-step-review = Podsumowanie
partners-info-lead = Nazwa i logo widoczne dla osób z Twojej organizacji i z organizacji partnera.
partners-name = Nazwa partnera
partners-name-required = Wpisz nazwę partnera.
partners-name-invalid = Nazwa partnera może mieć maksymalnie 100 znaków i nie może zawierać podziałów wiersza.
partners-name-taken = Masz już partnera o tej nazwie.
partners-logo = Logo
partners-logo-replace = Zastąp logo
partners-optional = (opcjonalnie)
partners-logo-hint = PNG, JPEG lub WebP, maksymalnie 512 KB.
partners-logo-kept = To logo zostanie zachowane. Wybierz inny plik, aby je zastąpić.
partners-logo-current-alt = Obecne logo
partners-logo-of = Logo partnera { $name }
partners-logo-remove = Usuń logo
partners-logo-too-large = Logo jest większe niż 512 KB. Wybierz mniejszy obraz.
partners-logo-svg = Format SVG nie jest akceptowany. Wybierz obraz PNG, JPEG lub WebP.
partners-logo-type = Ten plik nie jest obrazem PNG, JPEG ani WebP.
partners-logo-choose-again = Wybierz logo ponownie: pliki nie są zachowywane, gdy formularz zawiera błąd.
partners-no-logo = Brak logo
partners-next = Dalej
partners-back = Wstecz
partners-edit = Edytuj
partners-cancel-registration = Anuluj rejestrację
partners-domains = Domeny e-mail
partners-domains-hint = Po jednej w wierszu lub oddzielone przecinkami, np. @partner.example. Do partnera mogą dołączyć tylko osoby z adresem e-mail w tych domenach.
partners-domains-required = Wpisz co najmniej jedną domenę e-mail, np. @partner.example.
partners-domain-invalid = „{ $domain }” nie jest nazwą domeny. Wpisz ją w formacie @partner.example.
partners-domains-too-many = { $count ->
    [one] Partner może mieć maksymalnie { $count } domenę e-mail.
    [few] Partner może mieć maksymalnie { $count } domeny e-mail.
    [many] Partner może mieć maksymalnie { $count } domen e-mail.
   *[other] Partner może mieć maksymalnie { $count } domeny e-mail.
}
partners-admin-lead = Administrator partnera otrzyma zaproszenie e-mailem. Zarządza członkami partnera i może zapraszać kolejne osoby z domen partnera.
partners-admin-legend = Administrator partnera
partners-first-name = Imię
partners-last-name = Nazwisko
partners-admin-email = E-mail
partners-admin-email-hint = Musi należeć do jednej z domen partnera: { $domains }.
partners-first-name-required = Wpisz imię.
partners-last-name-required = Wpisz nazwisko.
partners-person-name-invalid = To pole może mieć maksymalnie 50 znaków i nie może zawierać podziałów wiersza.
partners-admin-email-outside = Ten adres e-mail nie należy do domen partnera ({ $domains }).
partners-admin-needs-domains = Najpierw wpisz domeny e-mail partnera.
partners-review-lead = Sprawdź wszystkie dane przed dodaniem partnera.
partners-admin = Administrator partnera
partners-review-invitation = Zaproszenie zostanie wysłane na adres { $email }. Partner będzie miał status „Oczekujący”, dopóki zaproszenie nie zostanie zaakceptowane.
partners-add = Dodaj partnera
partners-draft-incomplete = Rejestracja nie jest jeszcze ukończona. Sprawdź każdy krok.
partners-flash-cancelled = Anulowano rejestrację.
partners-flash-registered-invited = Dodano partnera. Administrator partnera otrzymał zaproszenie; do czasu jego zaakceptowania partner ma status „Oczekujący”.
partners-flash-registered-active = Dodano partnera i jest on aktywny: administrator partnera miał już konto.
# A partner's settings
partners-pending-note = Ten partner ma status „Oczekujący”, dopóki administrator partnera nie zaakceptuje zaproszenia.
partners-general-title = Informacje ogólne
partners-flash-info-saved = Zapisano informacje o partnerze.
partners-domains-title = Zarejestrowane domeny
partners-domains-lead = Zaproszenia do organizacji partnera są odrzucane dla adresów e-mail spoza tych domen.
partners-domains-admin-hint = Nie można usunąć domeny adresu e-mail administratora partnera.
partners-domain-in-use = Adres e-mail administratora partnera należy do domeny @{ $domain }: zachowaj tę domenę lub najpierw zmień administratora partnera.
partners-flash-domains-saved = Zapisano zarejestrowane domeny.
partners-admin-title = Administrator partnera
partners-admin-current = Obecny administrator partnera
partners-admin-none-yet = Jeszcze brak: zaproszenie nie zostało zaakceptowane.
partners-admin-pending = Zaproszony
partners-admin-pending-hint = Ta osoba zostanie administratorem partnera po zaakceptowaniu zaproszenia.
partners-admin-resend = Wyślij zaproszenie ponownie
partners-admin-change = Zmień administratora partnera
partners-admin-change-hint = Nowy administrator partnera otrzyma zaproszenie; zmiana nastąpi po jego zaakceptowaniu. Obecny administrator partnera pozostanie członkiem partnera.
partners-admin-change-submit = Wyślij zaproszenie
partners-admin-same = Ta osoba jest już administratorem partnera.
partners-admin-not-pending = Brak oczekującego zaproszenia do ponownego wysłania.
partners-flash-admin-invited = Wysłano zaproszenie. Nowy administrator partnera przejmie tę funkcję po zaakceptowaniu zaproszenia.
partners-flash-admin-changed = Zmieniono administratora partnera: ta osoba miała już konto.
partners-flash-invitation-resent = Zaproszenie zostało wysłane ponownie.
partners-apis-title = Powiązane API
partners-apis-lead = Członkowie partnera widzą te API i grupy API w portalu API.
partners-apis-empty-catalog = Twój katalog API jest pusty.
partners-apis-open-catalog = Otwórz stronę API
partners-apis-groups = Grupy API
partners-apis-environment = API w środowisku { $environment }
partners-group-apis = { $count ->
    [one] 1 API
    [few] { $count } API
    [many] { $count } API
   *[other] { $count } API
}
partners-apis-save = Zapisz powiązane API
partners-flash-apis-saved = Zapisano powiązane API.
partners-deactivate-title = Dezaktywuj partnera
partners-deactivate-lead = Dezaktywacja jest trwała: członkowie partnera natychmiast tracą cały dostęp, a partnera nie można ponownie włączyć.
partners-deactivate = Dezaktywuj partnera
partners-deactivate-page-title = Dezaktywuj partnera { $name }
partners-deactivate-links-remain = Ten partner nadal ma dostęp do API. Przed dezaktywacją odłącz wszystkie API i grupy API.
partners-deactivate-linked-apis = Nadal powiązane API
partners-deactivate-linked-groups = Nadal powiązane grupy API
partners-deactivate-unlink = Zmień powiązane API
partners-deactivate-body = Dezaktywacji partnera { $name } nie można cofnąć.
partners-deactivate-effect-access = Jego członkowie natychmiast tracą cały dostęp: do organizacji partnera, do portalu API i do wszystkich klientów, do których mają dostęp za jej pośrednictwem.
partners-deactivate-effect-invitations = Oczekujące zaproszenia do partnera przestaną działać.
partners-deactivate-effect-final = Partnera nie można ponownie włączyć; aby znów współpracować z tą firmą, zarejestruj ją od nowa.
partners-deactivated-note = Ten partner został dezaktywowany { $date }. Jego ustawień nie można już zmieniać.
partners-deactivated-read-only = Ten partner został dezaktywowany: jego ustawień nie można już zmieniać.
partners-flash-deactivated = Partner został dezaktywowany. Jego członkowie nie mają już dostępu.
partners-roles-fixed = Organizacja partnera ma dwie stałe role, Admin i Member: nie można dodawać ról ani zmieniać ich nazw czy uprawnień.
