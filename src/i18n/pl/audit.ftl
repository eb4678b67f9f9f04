## The audit log (administrators)

nav-audit = Dziennik audytu
audit-title = Dziennik audytu
audit-lead = Kto, co i kiedy zmienił w tej organizacji. Zdarzeń nie można edytować ani usuwać.
audit-breadcrumb = Ścieżka nawigacji
audit-search-label = Przeszukaj dziennik audytu
audit-search-placeholder = actor:ada@acme.test action:role.* created:>=2026-11-01
audit-help-summary = Jak wyszukiwać
audit-help-actor = zdarzenia jednej osoby (według jej ówczesnego adresu e-mail) lub actor:system dla zadań samego serwera
audit-help-action = jeden rodzaj zdarzenia; * na końcu pasuje do każdej akcji, która zaczyna się w ten sposób
audit-help-target = obiekt, którego dotyczyło zdarzenie, według jego ówczesnej nazwy
audit-help-created = w danym dniu, po nim, przed nim lub w przedziale dni, w Twojej strefie czasowej (>=, >, <=, <, ..)
audit-help-negate = znak minus przed dowolną częścią wyklucza te zdarzenia; wszystkie części muszą być spełnione
audit-help-api = To samo wyszukiwanie, ze stronicowaniem kursorowym, dla skryptów i osobistych tokenów dostępu:
audit-active-filters = Aktywne filtry
audit-remove-filter = Usuń filtr { $filter }
audit-clear-filters = Wyczyść wszystko
audit-export-csv = Eksportuj CSV
audit-export-ndjson = Eksportuj NDJSON
audit-empty = Brak zdarzeń.
audit-no-match = Brak zdarzeń pasujących do tego wyszukiwania.
audit-col-when = Kiedy
audit-col-actor = Wykonawca
audit-col-action = Akcja
audit-col-target = Obiekt
audit-col-origin = Adres i przeglądarka
audit-open-event = szczegóły
audit-open-target = Otwórz
audit-pages = Strony zdarzeń
audit-newest = Najnowsze zdarzenia
audit-older = Starsze zdarzenia
audit-actor-system = System
audit-actor-token = za pomocą tokenu „{ $name }”
audit-actor-via = przez { $partner }
audit-actor-external = użytkownik zewnętrzny
audit-address = Adres
audit-browser = Przeglądarka
audit-request-id = Identyfikator żądania (w logach serwera)
audit-target-gone = (już nie istnieje)
audit-changes = Co się zmieniło
audit-no-changes = To zdarzenie nie zmieniło żadnych pól.
audit-field = Pole
audit-before = Przed
audit-after = Po
audit-secret-changed = Zmieniono (wartości sekretów nigdy nie są zapisywane)
audit-details = Szczegóły
audit-note = Uwaga
audit-retention-title = Przechowywanie
audit-retention-kept = { $days ->
    [one] Zdarzenia są przechowywane przez 1 dzień.
    [few] Zdarzenia są przechowywane przez { $days } dni.
    [many] Zdarzenia są przechowywane przez { $days } dni.
   *[other] Zdarzenia są przechowywane przez { $days } dnia.
}
audit-retention-oldest = Najstarsze zdarzenie pochodzi z { $at }.
audit-retention-cleaned = Ostatnie czyszczenie: { $at }.
audit-retention-never-cleaned = Czyszczenie nie zostało jeszcze uruchomione.
audit-retention-days = Przechowuj zdarzenia przez (dni)
audit-retention-range = Wpisz liczbę całkowitą dni od { $min } do { $max }.
audit-query-too-long = Wyszukiwanie może mieć maksymalnie 12 części; „{ $part }” przekracza ten limit.
audit-query-empty = „{ $part }” nie zawiera niczego po dwukropku.
audit-query-bad-date = „{ $part }” nie jest datą ani zakresem dat: użyj created:2026-11-01, created:>=2026-11-01 lub created:2026-11-01..2026-11-30.
audit-query-bad-target-id = „{ $part }” wymaga liczby po dwukropku.
audit-query-unknown-qualifier = „{ $part }” nie jest filtrem: użyj actor:, action:, target: lub created:.
audit-activity = Aktywność
