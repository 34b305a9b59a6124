-- A contact imported from another address book keeps its vCard UID (in
-- extra, as UID) so that importing that book again finds it by UID even
-- after its email or name changed, and our vCard export writes the same UID
-- back (vdirsyncer and phones then update the card instead of adding one).
CREATE INDEX customers_by_card_uid ON customers (json_extract(extra, '$.UID[0]'))
    WHERE extra IS NOT NULL;
