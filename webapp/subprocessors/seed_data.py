"""The sub-processors named in the operator's privacy policy (facts only: names, contacts, data, work).

``data_stored`` and ``activities`` are short factual lists, given per language (de, en, hu).
"""

from __future__ import annotations


def _entry(name, address, phone, email, web, data_stored, activities, third_country=False) -> dict:
    row = {"name": name, "address": address, "phone": phone, "email": email, "web": web,
           "third_country": third_country}
    for language, text in zip(("de", "en", "hu"), data_stored, strict=True):
        row[f"data_stored_{language}"] = text
    for language, text in zip(("de", "en", "hu"), activities, strict=True):
        row[f"activities_{language}"] = text
    return row


INVOICE_DATA = ("Kunden- und Verkäuferdaten auf Rechnungen, Rechnungspositionen, Rechnungsdetails",
                "Customer and seller data on invoices, invoice items and details",
                "A számlákon szereplő vevői és eladói adatok, számlatételek, számlarészletek")
SMS_DATA = ("Telefonnummer, SMS-Text und Metadaten", "Phone number, SMS text and metadata",
            "Telefonszám, SMS-szöveg és metaadatok")

SUBPROCESSORS = [
    _entry("Telekom Rendszerintegráció Zrt. – T-Systems Cloud & DataCenter",
           "1097 Budapest, Könyves Kálmán körút 36., Hungary", "1400", "info@t-systems.hu", "http://www.t-systems.hu/",
           ("Systemprotokolle, im CRM gespeicherte Daten", "System logs; the data stored in the CRM",
            "Rendszernaplók, a CRM-ben tárolt adatok"),
           ("Server-Hosting: Rack, Internetanbindung, Stromversorgung",
            "Server hosting: rack space, internet connectivity, power",
            "Szerverelhelyezés: rackszekrény, internetkapcsolat, áramellátás")),
    _entry("Google Ireland Limited", "Gordon House, Barrow Street, Dublin 4, Ireland", "", "",
           "https://www.google.com/",
           ("Korrespondenz, Einzelverträge und Angebote, Kalendereinträge, Telefonkontakte, Tabellendaten, "
            "eindeutige Benutzer-IDs, Besucher-Cookies",
            "Correspondence, individual contracts and offers, calendar entries, phone contacts, spreadsheet data, "
            "unique user IDs, visitor cookies",
            "Levelezés, egyedi szerződések és ajánlatok, naptárbejegyzések, telefonos névjegyek, táblázatadatok, "
            "egyedi felhasználói azonosítók, látogatói sütik"),
           ("E-Mail, Dokumentenverwaltung, Kalender, Kontaktsynchronisierung, Online-Tabellen, "
            "zielgerichtete Werbung (Retargeting)",
            "E-mail, document management, calendar, contact synchronisation, online spreadsheets, "
            "targeted advertising (retargeting)",
            "E-mail, dokumentumkezelés, naptár, névjegy-szinkronizálás, online táblázatok, "
            "célzott hirdetések (retargeting)")),
    _entry("Meta Platforms Ireland Limited", "4 Grand Canal Square, Grand Canal Harbour, Dublin 2, Ireland", "", "",
           "https://www.facebook.com/",
           ("Nutzungsdaten der Webseite, eindeutige Benutzer-IDs, Besucher-Cookies",
            "Website usage data, unique user IDs, visitor cookies",
            "Weboldal-használati adatok, egyedi felhasználói azonosítók, látogatói sütik"),
           ("Zielgerichtete Werbung (Retargeting)", "Targeted advertising (retargeting)",
            "Célzott hirdetések (retargeting)")),
    _entry("Apple Inc.", "Apple Park, 1 Apple Park Way, Cupertino, California, USA", "+1 800 220325", "",
           "https://www.apple.com/",
           ("Kalendereinträge, Telefonkontakte", "Calendar entries, phone contacts",
            "Naptárbejegyzések, telefonos névjegyek"),
           ("Kalender, Kontaktsynchronisierung zwischen Geräten", "Calendar, contact synchronisation between devices",
            "Naptár, névjegyek szinkronizálása eszközök között"), third_country=True),
    _entry("Amazon Web Services EMEA SARL", "38 Avenue John F. Kennedy, L-1855 Luxembourg", "", "",
           "https://aws.amazon.com/",
           ("Verschlüsselte statische Dateien, verschlüsselte Datensicherungen",
            "Encrypted static files, encrypted backups",
            "Titkosított statikus fájlok, titkosított biztonsági mentések"),
           ("Statischer Speicher (S3), Content-Delivery-Netz (CloudFront), sekundäre Betriebsplattform",
            "Static storage (S3), content delivery network (CloudFront), secondary operating platform",
            "Statikus tárhely (S3), tartalomkézbesítő hálózat (CloudFront), másodlagos üzemeltetési platform")),
    _entry("Arenim Technologies Kft.", "1095 Budapest, Lechner Ödön fasor 6., 7th floor, Hungary", "+36 1 8 555 111",
           "support@arenimtel.com", "https://arenimtel.com/hu/",
           ("Metadaten von Kundenservice-Anrufen, Gesprächsaufzeichnungen",
            "Metadata of customer-service calls, call recordings",
            "Ügyfélszolgálati hívások metaadatai, hívásfelvételek"),
           ("Anrufweiterleitung, Callcenter, Gesprächsaufzeichnung", "Call routing, call centre, call recording",
            "Hívásirányítás, telefonos ügyfélszolgálat, hívásrögzítés")),
    _entry("Opennetworks Kft.", "1125 Budapest, Kiss Áron utca 9., Hungary", "+36 1 999 6000", "info@opennet.hu",
           "http://www.opennet.hu/", SMS_DATA,
           ("SMS-Massenversand (Inland) für alle Kunden", "Bulk SMS sending (domestic) for all customers",
            "Tömeges SMS-küldés (belföldi) minden ügyfél számára")),
    _entry("LINK Mobility Poland Sp. z o.o.", "ul. Toszecka 10, 44-100 Gliwice, Poland", "+48 32 7 201 200",
           "support@smsapi.com", "https://www.smsapi.com/", SMS_DATA,
           ("Internationaler SMS-Massenversand für alle Kunden", "International bulk SMS sending for all customers",
            "Nemzetközi tömeges SMS-küldés minden ügyfél számára")),
    _entry("Finacont Szolgáltató és Tanácsadó Kft.", "1062 Budapest, Aradi u. 16. 2. em. 2., Hungary",
           "+36 1 345 0092", "finacont@finacont.com", "https://finacont.com/", INVOICE_DATA,
           ("Buchhaltung, gesetzliche Meldungen und Erklärungen", "Accounting, statutory reports and returns",
            "Könyvelés, kötelező adatszolgáltatások és bevallások")),
    _entry("Nemzeti Adó- és Vámhivatal (NAV)", "1134 Budapest, Dózsa György út 128–132., Hungary", "+36 1 412 5400",
           "ebpavig@nav.gov.hu", "https://www.nav.gov.hu/", INVOICE_DATA,
           ("Online-Übermittlung von Rechnungsdaten, Daten- und Risikoanalyse, behördliche Kontrolle",
            "Online invoice data reporting, data and risk analysis, tax inspection",
            "Online számlaadat-szolgáltatás, adat- és kockázatelemzés, hatósági ellenőrzés")),
]
