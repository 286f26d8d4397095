"""First texts of the public website, the authority details and the first privacy notice.

Written for this product (never copied from the policy); names, addresses and numbers are facts.
The operator edits all of it afterwards in the staff screens.
"""

from __future__ import annotations

OPERATOR = {
    "name": "MiniCRM Zrt.",
    "legal_name": "MiniCRM Szolgáltató és Kereskedelmi Zártkörűen Működő Részvénytársaság",
    "address": "1075 Budapest, Madách Imre út 13–14, Hungary",
    "email": "help@minicrm.hu", "phone": "+36 (1) 999-0402", "web": "https://www.minicrm.hu/",
    "register": "01-10-047449", "vat": "HU 23982273", "naih": "NAIH-64809/2013",
}

PAGES = {
    "home": {
        "title": {"de": "Ein CRM, das seine Datenschutzversprechen hält",
                  "en": "A CRM that keeps its privacy promises",
                  "hu": "Egy CRM, amely betartja adatvédelmi ígéreteit"},
        "body": {
            "de": "<p>Kontakte, Firmen und Verkaufschancen an einem Ort – und jede Person kann sehen, was über sie "
                  "gespeichert ist und wann es gelöscht wird.</p><ul><li><strong>Getrennte Arbeitsbereiche</strong> "
                  "für jeden Kunden.</li><li><strong>Löschfristen</strong>, die die Software selbst einhält.</li>"
                  "<li><strong>Selbstauskunft</strong> ohne Wartezeit.</li></ul>",
            "en": "<p>Contacts, companies and deals in one place – and every person can see what is stored about "
                  "them and when it will be deleted.</p><ul><li><strong>Separate workspaces</strong> for every "
                  "customer.</li><li><strong>Retention periods</strong> the software keeps by itself.</li>"
                  "<li><strong>Self-service access</strong> to one's own data, without waiting.</li></ul>",
            "hu": "<p>Kapcsolatok, cégek és üzletek egy helyen – és mindenki láthatja, mit tárolunk róla, és mikor "
                  "töröljük.</p><ul><li><strong>Elkülönített munkaterület</strong> minden ügyfélnek.</li>"
                  "<li><strong>Megőrzési idők</strong>, amelyeket a szoftver maga tart be.</li>"
                  "<li><strong>Önkiszolgáló betekintés</strong> a saját adatokba, várakozás nélkül.</li></ul>",
        },
    },
    "product": {
        "title": {"de": "Das Produkt", "en": "The product", "hu": "A termék"},
        "body": {
            "de": "<h2>Kundenmanagement</h2><p>Kontakte und Firmen erfassen, importieren, exportieren und im Team "
                  "pflegen.</p><h2>Datenschutz eingebaut</h2><p>Audit-Protokoll, Papierkorb mit Fristen, "
                  "Zwei-Faktor-Anmeldung und Rollen für jeden Arbeitsbereich.</p>",
            "en": "<h2>Customer management</h2><p>Record, import, export and share contacts and companies with "
                  "your team.</p><h2>Privacy built in</h2><p>Audit trail, a trash with deadlines, two-factor "
                  "sign-in and roles for every workspace.</p>",
            "hu": "<h2>Ügyfélkezelés</h2><p>Kapcsolatok és cégek rögzítése, importálása, exportálása és közös "
                  "kezelése a csapattal.</p><h2>Beépített adatvédelem</h2><p>Naplózás, határidős lomtár, "
                  "kétlépcsős bejelentkezés és szerepkörök minden munkaterülethez.</p>",
        },
    },
    "pricing": {
        "title": {"de": "Preise", "en": "Pricing", "hu": "Árak"},
        "body": {
            "de": "<p>Starten Sie mit einem kostenlosen Testsystem. Danach zahlen Sie pro Benutzer und Monat; "
                  "die aktuellen Preise nennt Ihnen unser Vertrieb.</p>",
            "en": "<p>Start with a free trial workspace. Afterwards you pay per user and month; our sales team "
                  "tells you the current prices.</p>",
            "hu": "<p>Kezdje egy ingyenes próbarendszerrel. Utána felhasználónként és havonta fizet; az aktuális "
                  "árakról értékesítő kollégáink tájékoztatják.</p>",
        },
    },
    "imprint": {
        "title": {"de": "Impressum", "en": "Imprint", "hu": "Impresszum"},
        "body": {
            language: (
                f"<p><strong>{OPERATOR['name']}</strong><br>{OPERATOR['legal_name']}<br>{OPERATOR['address']}</p>"
                f"<dl><dt>{labels[0]}</dt><dd><a href=\"mailto:{OPERATOR['email']}\">{OPERATOR['email']}</a></dd>"
                f"<dt>{labels[1]}</dt><dd>{OPERATOR['phone']}</dd>"
                f"<dt>{labels[2]}</dt><dd>{OPERATOR['register']}</dd>"
                f"<dt>{labels[3]}</dt><dd>{OPERATOR['vat']}</dd>"
                f"<dt>{labels[4]}</dt><dd>{OPERATOR['naih']}</dd></dl>"
            )
            for language, labels in {
                "de": ("E-Mail", "Telefon", "Handelsregister", "USt-IdNr.", "Datenschutz-Registernummer"),
                "en": ("E-mail", "Phone", "Company register", "VAT number", "Data-protection register number"),
                "hu": ("E-mail", "Telefon", "Cégjegyzékszám", "Közösségi adószám", "Adatvédelmi nyilvántartási szám"),
            }.items()
        },
    },
}

AUTHORITY = {
    "name": "Nemzeti Adatvédelmi és Információszabadság Hatóság (NAIH)",
    "address": "1125 Budapest, Szilágyi Erzsébet fasor 22/c, Hungary",
    "phone": "+36-1-391-1400",
    "email": "ugyfelszolgalat@naih.hu",
    "web": "https://www.naih.hu/",
    "complaint": {
        "de": "<p>Wenn Sie meinen, dass wir Ihre Daten nicht richtig verarbeiten, schreiben Sie uns bitte zuerst – "
              "wir antworten innerhalb der gesetzlichen Frist. Sie können sich jederzeit auch direkt bei der "
              "Aufsichtsbehörde beschweren. Außerdem steht Ihnen der Weg zu den ordentlichen Gerichten offen; "
              "Sie können auch beim Gericht Ihres Wohnorts klagen.</p>",
        "en": "<p>If you think we are not handling your data properly, please write to us first – we answer "
              "within the legal deadline. You may also complain directly to the supervisory authority at any "
              "time. You can also go to the ordinary courts, including the court where you live.</p>",
        "hu": "<p>Ha úgy gondolja, hogy nem megfelelően kezeljük adatait, kérjük, először írjon nekünk – a törvényes "
              "határidőn belül válaszolunk. Bármikor panaszt tehet közvetlenül a felügyeleti hatóságnál is. "
              "Emellett a rendes bíróságokhoz is fordulhat, akár a lakóhelye szerinti bírósághoz.</p>",
    },
}

NOTICE_SUMMARY = "First published version."

NOTICE = {
    "de": "<h2>Wer wir sind</h2><p>Verantwortlich ist MiniCRM Zrt., 1075 Budapest, Madách Imre út 13–14, "
          "help@minicrm.hu.</p><h2>Was wir verarbeiten</h2><ul><li>Webseite: besuchte Seiten, Gerätetyp, "
          "Betriebssystem und Herkunft des Besuchs – ohne IP-Adresse; gelöscht nach 90 Tagen.</li>"
          "<li>Werbung: Cookies von Google Ads und Facebook nur mit Ihrer Einwilligung.</li>"
          "<li>Newsletter, Workshop, Testsystem: Name, E-Mail und Telefonnummer, bis Sie widersprechen, "
          "höchstens 365 Tage nach dem letzten Kontakt.</li><li>Daten, die Kunden im CRM erfassen, verarbeiten "
          "wir nur in deren Auftrag.</li></ul><h2>Ihre Rechte</h2><p>Auskunft, Berichtigung, Löschung, "
          "Einschränkung, Datenübertragbarkeit und Widerspruch – im Portal „Meine Daten“ oder per E-Mail.</p>"
          "<h2>Dienstleister und Beschwerden</h2><p>Unsere Unterauftragsverarbeiter und die zuständige "
          "Aufsichtsbehörde finden Sie auf eigenen Seiten dieser Webseite.</p>",
    "en": "<h2>Who we are</h2><p>The controller is MiniCRM Zrt., 1075 Budapest, Madách Imre út 13–14, "
          "help@minicrm.hu.</p><h2>What we process</h2><ul><li>Website: pages visited, device type, operating "
          "system and where the visit came from – never an IP address; deleted after 90 days.</li>"
          "<li>Advertising: Google Ads and Facebook cookies only with your consent.</li>"
          "<li>Newsletter, workshop, trial: name, e-mail and phone number, until you object, at most 365 days "
          "after the last contact.</li><li>Data our customers enter into the CRM is processed only on their "
          "behalf.</li></ul><h2>Your rights</h2><p>Access, correction, erasure, restriction, portability and "
          "objection – in the “My data” portal or by e-mail.</p><h2>Service providers and complaints</h2>"
          "<p>Our sub-processors and the competent supervisory authority are listed on their own pages of this "
          "website.</p>",
    "hu": "<h2>Kik vagyunk</h2><p>Az adatkezelő a MiniCRM Zrt., 1075 Budapest, Madách Imre út 13–14, "
          "help@minicrm.hu.</p><h2>Mit kezelünk</h2><ul><li>Weboldal: meglátogatott oldalak, eszköztípus, "
          "operációs rendszer és a látogatás forrása – IP-cím nélkül; 90 nap után töröljük.</li>"
          "<li>Hirdetések: Google Ads és Facebook sütik csak az Ön hozzájárulásával.</li>"
          "<li>Hírlevél, workshop, próbarendszer: név, e-mail-cím és telefonszám, amíg nem tiltakozik, legfeljebb "
          "az utolsó kapcsolatfelvételt követő 365 napig.</li><li>Az ügyfeleink által a CRM-be rögzített adatokat "
          "csak az ő megbízásukból kezeljük.</li></ul><h2>Az Ön jogai</h2><p>Hozzáférés, helyesbítés, törlés, "
          "korlátozás, adathordozhatóság és tiltakozás – a „Saját adataim” portálon vagy e-mailben.</p>"
          "<h2>Szolgáltatók és panaszok</h2><p>Az adatfeldolgozóinkat és az illetékes felügyeleti hatóságot a "
          "weboldal külön oldalain soroljuk fel.</p>",
}
