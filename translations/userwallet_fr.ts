<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>CoSignPolicy</name>
    <message>
        <source>%1 days</source>
        <translation>%1 jours</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>This login does not ask member &quot;%1&quot; to sign.</source>
        <translation>Cette connexion ne demande pas la signature du membre « %1 ».</translation>
    </message>
    <message>
        <source>This login would accept %1 of member &quot;%2&quot;&apos;s devices, but the member requires %3. Someone may be trying to log in with fewer of your devices; nothing was signed.</source>
        <translation>Cette connexion accepterait %1 des appareils du membre « %2 », mais le membre en exige %3. Quelqu’un essaie peut-être de se connecter avec moins de vos appareils ; rien n’a été signé.</translation>
    </message>
    <message>
        <source>This login lists a device of member &quot;%1&quot; (%2) that is not one of the member&apos;s devices; nothing was signed.</source>
        <translation>Cette connexion cite un appareil du membre « %1 » (%2) qui n’est pas l’un de ses appareils ; rien n’a été signé.</translation>
    </message>
    <message>
        <source>This login would stay valid for %1; this device signs logins valid for at most %2. Nothing was signed.</source>
        <translation>Cette connexion resterait valable %1 ; cet appareil ne signe que des connexions valables au plus %2. Rien n’a été signé.</translation>
    </message>
    <message>
        <source>This login says it was created in the future; check this device&apos;s clock. Nothing was signed.</source>
        <translation>Cette connexion se dit créée dans le futur ; vérifiez l’horloge de cet appareil. Rien n’a été signé.</translation>
    </message>
    <message>
        <source>This login was published by a key that is not a device of any member it names; nothing was signed.</source>
        <translation>Cette connexion a été publiée par une clé qui n’est l’appareil d’aucun des membres qu’elle nomme ; rien n’a été signé.</translation>
    </message>
</context>
<context>
    <name>KnownService</name>
    <message>
        <source>Give the service a name, as the login screen will list it.</source>
        <translation>Donnez au service un nom, sous lequel l’écran de connexion le proposera.</translation>
    </message>
    <message>
        <source>Give either the address of the service&apos;s login request, or a service id and a callback, not both.</source>
        <translation>Indiquez soit l’adresse de la demande de connexion du service, soit un identifiant de service et une adresse de retour, mais pas les deux.</translation>
    </message>
    <message>
        <source>The login request&apos;s address must be an https:// URL (or http:// on this machine).</source>
        <translation>L’adresse de la demande de connexion doit être une URL https:// (ou http:// sur cette machine).</translation>
    </message>
    <message>
        <source>Give the service&apos;s id (or the address of its login request).</source>
        <translation>Indiquez l’identifiant du service (ou l’adresse de sa demande de connexion).</translation>
    </message>
    <message>
        <source>Give the URL that receives the proof (or the address of a login request).</source>
        <translation>Indiquez l’URL qui reçoit la preuve (ou l’adresse d’une demande de connexion).</translation>
    </message>
    <message>
        <source>The callback must be an http:// or https:// URL.</source>
        <translation>L’adresse de retour doit être une URL http:// ou https://.</translation>
    </message>
</context>
<context>
    <name>LoginLink</name>
    <message>
        <source>This is not a login link (userwallet://login?…).</source>
        <translation>Ce n’est pas un lien de connexion (userwallet://login?…).</translation>
    </message>
    <message>
        <source>The login link names more than one login request.</source>
        <translation>Le lien de connexion désigne plus d’une demande de connexion.</translation>
    </message>
    <message>
        <source>The login link holds both a login request and a service or callback; it is refused rather than guessed.</source>
        <translation>Le lien de connexion contient à la fois une demande de connexion et un service ou une adresse de retour&#xa0;; il est refusé plutôt qu’interprété au jugé.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>This profile already holds an identity.</source>
        <translation>Ce profil contient déjà une identité.</translation>
    </message>
    <message>
        <source>Wrong passphrase.</source>
        <translation>Phrase secrète incorrecte.</translation>
    </message>
    <message>
        <source>UserWallet cannot start</source>
        <translation>UserWallet ne peut pas démarrer</translation>
    </message>
</context>
<context>
    <name>uw::AnchorRuntime</name>
    <message>
        <source>No Bitcoin backend configured: set BITCOIN_RPC_URL (and BITCOIN_RPC_COOKIE) or MEMPOOL_API_URL.</source>
        <translation>Aucun nœud Bitcoin configuré : définissez BITCOIN_RPC_URL (et BITCOIN_RPC_COOKIE) ou MEMPOOL_API_URL.</translation>
    </message>
    <message>
        <source>The anchoring core is not running.</source>
        <translation>Le moteur d’ancrage ne tourne pas.</translation>
    </message>
    <message>
        <source>The anchor database %1 cannot be opened: %2</source>
        <translation>La base d’ancrage %1 ne peut pas être ouverte : %2</translation>
    </message>
    <message>
        <source>The node&apos;s block notifications (ZMQ, %1) cannot be subscribed to: %2</source>
        <translation>Impossible de s’abonner aux notifications de blocs du nœud (ZMQ, %1) : %2</translation>
    </message>
    <message>
        <source>A UTXO sync is already running.</source>
        <translation>Une synchronisation des UTXO est déjà en cours.</translation>
    </message>
    <message>
        <source>The sync was cancelled: nothing was imported.</source>
        <translation>La synchronisation a été annulée&#xa0;: rien n’a été importé.</translation>
    </message>
</context>
<context>
    <name>uw::AnchorService</name>
    <message>
        <source>No spendable UTXO: fund the wallet or wait for confirmations.</source>
        <translation>Aucun UTXO dépensable : approvisionnez le portefeuille ou attendez des confirmations.</translation>
    </message>
</context>
<context>
    <name>uw::CoSigner</name>
    <message>
        <source>The login was not found on any relay (is device 1 still waiting?).</source>
        <translation>La connexion est introuvable sur les relais (l’appareil 1 attend-il encore ?).</translation>
    </message>
    <message>
        <source>No relay accepted the signature (%1).</source>
        <translation>Aucun relais n’a accepté la signature (%1).</translation>
    </message>
    <message>
        <source>The message&apos;s nonce is not the one in the link.</source>
        <translation>Le nonce du message n’est pas celui du lien.</translation>
    </message>
    <message>
        <source>This login expired at %1; nothing was signed.</source>
        <translation>Cette connexion a expiré à %1 ; rien n’a été signé.</translation>
    </message>
    <message>
        <source>This login does not ask member &quot;%1&quot; to sign.</source>
        <translation>Cette connexion ne demande pas la signature du membre « %1 ».</translation>
    </message>
    <message>
        <source>This device is not one of member &quot;%1&quot;&apos;s devices in this login.</source>
        <translation>Cet appareil ne fait pas partie des appareils du membre « %1 » pour cette connexion.</translation>
    </message>
    <message>
        <source>This login expired while it was on screen; nothing was signed.</source>
        <translation>Cette connexion a expiré pendant son affichage ; rien n’a été signé.</translation>
    </message>
    <message>
        <source>No relay took the refusal: device 1 will wait until its timeout.</source>
        <translation>Aucun relais n’a pris le refus : l’appareil 1 attendra la fin de son délai.</translation>
    </message>
    <message>
        <source>Nothing was signed, but no relay took the refusal (%1): device 1 will wait until its timeout.</source>
        <translation>Rien n’a été signé, mais aucun relais n’a pris le refus (%1) : l’appareil 1 attendra la fin de son délai.</translation>
    </message>
    <message>
        <source>%1 is not the number of this login: nothing was signed, and device 1 was told.</source>
        <translation>%1 n’est pas le nombre de cette connexion : rien n’a été signé, et l’appareil 1 a été prévenu.</translation>
    </message>
    <message>
        <source>This device has no key in this login to sign a refusal with.</source>
        <translation>Cet appareil n’a aucune clé dans cette connexion pour signer un refus.</translation>
    </message>
</context>
<context>
    <name>uw::LoginFlow</name>
    <message>
        <source>Timed out after %1 s waiting for the other devices&apos; signatures.</source>
        <translation>Délai dépassé : %1 s d’attente des signatures des autres appareils.</translation>
    </message>
    <message>
        <source>No answer to the confirmation in time; nothing was sent.</source>
        <translation>Pas de réponse à la confirmation dans le délai ; rien n’a été envoyé.</translation>
    </message>
    <message>
        <source>No relay accepted the login.</source>
        <translation>Aucun relais n’a accepté la connexion.</translation>
    </message>
    <message>
        <source>You refused the other device&apos;s signature; nothing was sent.</source>
        <translation>Vous avez refusé la signature de l’autre appareil ; rien n’a été envoyé.</translation>
    </message>
    <message>
        <source>Login cancelled.</source>
        <translation>Connexion annulée.</translation>
    </message>
    <message>
        <source>Refused on %1.</source>
        <translation>Refusée sur %1.</translation>
    </message>
    <message>
        <source>Refused on %1: the number typed there was not this login&apos;s.</source>
        <translation>Refusée sur %1 : le nombre saisi là-bas n’était pas celui de cette connexion.</translation>
    </message>
    <message>
        <source>Refused on %1: the login had expired there.</source>
        <translation>Refusée sur %1 : la connexion y avait expiré.</translation>
    </message>
    <message>
        <source>device %1</source>
        <translation>appareil %1</translation>
    </message>
</context>
<context>
    <name>uw::LoginListener</name>
    <message>
        <source>device %1</source>
        <translation>appareil %1</translation>
    </message>
</context>
<context>
    <name>uw::LoginRequestFetcher</name>
    <message>
        <source>The service (%1) did not send the login request within %2 s; nothing was done.</source>
        <extracomment>%1 is the service&apos;s host name, %2 a number of seconds.</extracomment>
        <translation>Le service (%1) n’a pas envoyé la demande de connexion dans les %2&#xa0;s&#xa0;; rien n’a été fait.</translation>
    </message>
    <message>
        <source>The address of the login request (&quot;%1&quot;) is not a valid URL.</source>
        <translation>L’adresse de la demande de connexion («&#xa0;%1&#xa0;») n’est pas une URL valide.</translation>
    </message>
    <message>
        <source>The login request at %1 would travel unprotected (http://); only https:// is accepted, or http:// on this machine.</source>
        <translation>La demande de connexion à l’adresse %1 circulerait sans protection (http://)&#xa0;; seul https:// est accepté, ou http:// sur cette machine.</translation>
    </message>
    <message>
        <source>The address of the login request (&quot;%1&quot;) must start with https:// (or http:// on this machine).</source>
        <translation>L’adresse de la demande de connexion («&#xa0;%1&#xa0;») doit commencer par https:// (ou http:// sur cette machine).</translation>
    </message>
    <message>
        <source>The login request from %1 is %2 bytes; at most %3 KiB are accepted. It was not read.</source>
        <extracomment>%1 is the service&apos;s host, %2 the size it announced in bytes, %3 the limit in KiB.</extracomment>
        <translation>La demande de connexion de %1 fait %2&#xa0;octets&#xa0;; %3&#xa0;Kio au plus sont acceptés. Elle n’a pas été lue.</translation>
    </message>
    <message>
        <source>The login request from %1 is larger than %2 KiB; the transfer was stopped.</source>
        <extracomment>%1 is the service&apos;s host, %2 the limit in KiB.</extracomment>
        <translation>La demande de connexion de %1 dépasse %2&#xa0;Kio&#xa0;; le transfert a été interrompu.</translation>
    </message>
    <message>
        <source>The service (%1) sent the login request on to %2, which is not allowed (https://, or http:// on this machine only); nothing was fetched from there.</source>
        <extracomment>%1 the service&apos;s host, %2 the address it redirects to.</extracomment>
        <translation>Le service (%1) a redirigé la demande de connexion vers %2, ce qui n’est pas permis (https://, ou http:// sur cette machine uniquement)&#xa0;; rien n’a été récupéré à cette adresse.</translation>
    </message>
    <message>
        <source>The service (%1) redirected the login request more than %2 times.</source>
        <translation>Le service (%1) a redirigé la demande de connexion plus de %2&#xa0;fois.</translation>
    </message>
    <message>
        <source>The service (%1) answered HTTP %2 instead of sending the login request.</source>
        <extracomment>%1 the service&apos;s host, %2 an HTTP status number (404...).</extracomment>
        <translation>Le service (%1) a répondu HTTP&#xa0;%2 au lieu d’envoyer la demande de connexion.</translation>
    </message>
    <message>
        <source>The login request could not be fetched from %1: %2</source>
        <extracomment>%1 the service&apos;s host, %2 the network&apos;s own error text.</extracomment>
        <translation>La demande de connexion n’a pas pu être récupérée auprès de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The login request from %1 cannot be used. %2</source>
        <extracomment>%1 the service&apos;s host, %2 why the document is not a valid login request.</extracomment>
        <translation>La demande de connexion de %1 est inutilisable. %2</translation>
    </message>
</context>
<context>
    <name>uw::LoginSession</name>
    <message>
        <source>The login request from %1 expired at %2; ask the service for a new one. Nothing was published.</source>
        <extracomment>%1 the service, %2 a date and time.</extracomment>
        <translation>La demande de connexion de %1 a expiré le %2&#xa0;; demandez-en une nouvelle au service. Rien n’a été publié.</translation>
    </message>
    <message>
        <source>The login request from %1 cannot be answered: %2 Nothing was published.</source>
        <extracomment>%1 the service, %2 why its callback address is refused.</extracomment>
        <translation>Impossible de répondre à la demande de connexion de %1&#xa0;: %2 Rien n’a été publié.</translation>
    </message>
    <message>
        <source>The login request from %1 does not ask member &quot;%2&quot; to sign (it asks %3): it is not for this device. Nothing was published.</source>
        <extracomment>%1 the service, %2 this device&apos;s member, %3 the members the request names.</extracomment>
        <translation>La demande de connexion de %1 ne demande pas la signature du membre «&#xa0;%2&#xa0;» (elle demande celle de %3)&#xa0;: elle ne concerne pas cet appareil. Rien n’a été publié.</translation>
    </message>
    <message>
        <source>The login request from %1 lists this device (%2…) with a key that is not this device&apos;s key. Nothing was published.</source>
        <extracomment>%1 the service, %2 the first characters of this device&apos;s id.</extracomment>
        <translation>La demande de connexion de %1 cite cet appareil (%2…) avec une clé qui n’est pas la sienne. Rien n’a été publié.</translation>
    </message>
    <message>
        <source>This device is not registered with %1: the request lists none of this device&apos;s keys among member &quot;%2&quot;&apos;s devices. Nothing was published.</source>
        <extracomment>%1 the service, %2 this device&apos;s member.</extracomment>
        <translation>Cet appareil n’est pas enregistré auprès de %1&#xa0;: la demande ne cite aucune de ses clés parmi les appareils du membre «&#xa0;%2&#xa0;». Rien n’a été publié.</translation>
    </message>
</context>
<context>
    <name>uw::MemberUpdater</name>
    <message>
        <source>No relay accepted the new member document (%1).</source>
        <translation>Aucun relais n’a accepté le nouveau document du membre (%1).</translation>
    </message>
    <message>
        <source>Reading the member&apos;s latest document from the relays…</source>
        <extracomment>Progress while renaming a device: the member&apos;s latest document is read from the relays first.</extracomment>
        <translation>Lecture du dernier document du membre sur les relais…</translation>
    </message>
    <message>
        <source>Publishing version %1 of the member document…</source>
        <extracomment>Progress while renaming a device: the new signed document is sent to the relays.</extracomment>
        <translation>Publication de la version %1 du document du membre…</translation>
    </message>
</context>
<context>
    <name>uw::PairingJoin</name>
    <message>
        <source>Device 1 did not confirm the pairing in time.</source>
        <translation>L’appareil 1 n’a pas confirmé l’appairage dans le délai.</translation>
    </message>
    <message>
        <source>The member document does not authorize this device.</source>
        <translation>Le document du membre n’autorise pas cet appareil.</translation>
    </message>
</context>
<context>
    <name>uw::PairingOffer</name>
    <message>
        <source>No device answered the pairing link in time.</source>
        <translation>Aucun appareil n’a répondu au lien d’appairage dans le délai.</translation>
    </message>
    <message>
        <source>No relay accepted the pairing answer (%1).</source>
        <translation>Aucun relais n’a accepté la réponse d’appairage (%1).</translation>
    </message>
    <message>
        <source>Pairing refused; the member was not changed.</source>
        <translation>Appairage refusé ; le membre n’a pas été modifié.</translation>
    </message>
    <message>
        <source>This device holds no authorized key of member &quot;%1&quot;.</source>
        <translation>Cet appareil ne détient aucune clé autorisée du membre « %1 ».</translation>
    </message>
</context>
<context>
    <name>uw::RelayConnection</name>
    <message>
        <source>connection closed</source>
        <translation>connexion fermée</translation>
    </message>
    <message>
        <source>dropped: too many invalid frames</source>
        <translation>abandonné : trop de trames invalides</translation>
    </message>
</context>
<context>
    <name>uw::RelayLoginTransport</name>
    <message>
        <source>No local key to sign the login events.</source>
        <translation>Aucune clé locale pour signer les événements de connexion.</translation>
    </message>
    <message>
        <source>Cannot build the signature event of pair %1.</source>
        <translation>Impossible de construire l’événement de signature de la paire %1.</translation>
    </message>
    <message>
        <source>No relay accepted the login events (%1).</source>
        <translation>Aucun relais n’a accepté les événements de connexion (%1).</translation>
    </message>
</context>
<context>
    <name>uw::RelayPool</name>
    <message>
        <source>unreachable: %1</source>
        <translation>injoignable : %1</translation>
    </message>
    <message>
        <source>no answer in time</source>
        <translation>pas de réponse dans le délai</translation>
    </message>
</context>
<context>
    <name>uw::ServiceChecker</name>
    <message>
        <source>accepts connections</source>
        <translation>accepte les connexions</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>connexion refusée</translation>
    </message>
    <message>
        <source>no answer in time</source>
        <translation>pas de réponse dans le délai</translation>
    </message>
    <message>
        <source>WebSocket handshake done</source>
        <translation>poignée de main WebSocket réussie</translation>
    </message>
    <message>
        <source>depends on %1, which is down</source>
        <translation>dépend de %1, qui est arrêté</translation>
    </message>
</context>
<context>
    <name>uw::StatusCollector</name>
    <message>
        <source>No Bitcoin node is configured (BITCOIN_RPC_URL or MEMPOOL_API_URL).</source>
        <translation>Aucun nœud Bitcoin n’est configuré (BITCOIN_RPC_URL ou MEMPOOL_API_URL).</translation>
    </message>
</context>
<context>
    <name>uw::ui::AboutScreen</name>
    <message>
        <source>&lt;h2&gt;UserWallet %1&lt;/h2&gt;&lt;p&gt;Log in to services with signatures from several of your devices, co-sign from a second device, and anchor document hashes on Bitcoin.&lt;/p&gt;&lt;p&gt;Your secret keys never leave this device and are stored encrypted. Every relay is untrusted: every signature is verified here.&lt;/p&gt;&lt;p&gt;Built with Qt %2, libsecp256k1, libsodium, libqrencode and ZXing-C++.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;UserWallet %1&lt;/h2&gt;&lt;p&gt;Connectez-vous aux services avec les signatures de plusieurs de vos appareils, cosignez depuis un second appareil et ancrez des empreintes de documents sur Bitcoin.&lt;/p&gt;&lt;p&gt;Vos clés secrètes ne quittent jamais cet appareil et sont stockées chiffrées. Aucun relais n’est digne de confiance : chaque signature est vérifiée ici.&lt;/p&gt;&lt;p&gt;Construit avec Qt %2, libsecp256k1, libsodium, libqrencode et ZXing-C++.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>uw::ui::AnchorTableModel</name>
    <message>
        <source>queued</source>
        <extracomment>An anchor waiting for its transaction.</extracomment>
        <translation>en file</translation>
    </message>
    <message>
        <source>signed, not yet sent</source>
        <extracomment>An anchor whose transaction is signed but not yet given to the Bitcoin node.</extracomment>
        <translation>signé, pas encore envoyé</translation>
    </message>
    <message>
        <source>in the mempool</source>
        <extracomment>An anchor whose transaction waits in the node&apos;s mempool for a block.</extracomment>
        <translation>dans la mempool</translation>
    </message>
    <message>
        <source>confirmed</source>
        <extracomment>An anchor whose transaction is in a block.</extracomment>
        <translation>confirmé</translation>
    </message>
    <message>
        <source>failed</source>
        <extracomment>An anchor that will not be retried.</extracomment>
        <translation>échoué</translation>
    </message>
    <message>
        <source>Digest %1</source>
        <extracomment>Tooltip on an anchor&apos;s transaction: the document digest it anchors.</extracomment>
        <translation>Empreinte du document %1</translation>
    </message>
    <message>
        <source>Transaction</source>
        <extracomment>Column title: the Bitcoin transaction id of an anchor.</extracomment>
        <translation>Transaction</translation>
    </message>
    <message>
        <source>State</source>
        <extracomment>Column title: where an anchor is (queued, in the mempool, confirmed...).</extracomment>
        <translation>État</translation>
    </message>
    <message>
        <source>Confirmations</source>
        <extracomment>Column title: the number of blocks on top of an anchor&apos;s transaction, its own included.</extracomment>
        <translation>Confirmations</translation>
    </message>
</context>
<context>
    <name>uw::ui::AnchoredFileNames</name>
    <message>
        <source>it is not valid JSON (%1 at byte %2)</source>
        <extracomment>Why the anchored files&apos; names could not be read: %1 the JSON parser&apos;s message, %2 the byte offset.</extracomment>
        <translation>ce n’est pas du JSON valide (%1 à l’octet %2)</translation>
    </message>
    <message>
        <source>it is not a list of anchored files this version knows</source>
        <extracomment>Why the anchored files&apos; names could not be read.</extracomment>
        <translation>ce n’est pas une liste de fichiers ancrés que cette version connaît</translation>
    </message>
    <message>
        <source>entry %1 is malformed</source>
        <extracomment>Why the anchored files&apos; names could not be read: %1 the number of the entry that is wrong.</extracomment>
        <translation>l’entrée %1 est mal formée</translation>
    </message>
    <message>
        <source>it is larger than %1 MB</source>
        <extracomment>Why the anchored files&apos; names could not be read: the file is far larger than such a list.</extracomment>
        <translation>il dépasse %1 Mo</translation>
    </message>
    <message>
        <source>The names of the files anchored earlier could not be read from %1: %2. The anchors themselves are safe; files added from now on are listed by name again. The old list was kept as %3.</source>
        <extracomment>The Anchoring page could not read its list of file names; %1 the file, %2 why, %3 where it was moved.</extracomment>
        <translation>Les noms des fichiers ancrés auparavant n’ont pas pu être lus dans %1 : %2. Les ancrages eux-mêmes ne sont pas touchés ; les fichiers ajoutés désormais sont de nouveau listés par leur nom. L’ancienne liste a été conservée sous %3.</translation>
    </message>
    <message>
        <source>The names of the files anchored earlier could not be read from %1: %2. The anchors themselves are safe; the unreadable list will be replaced once files are added.</source>
        <extracomment>As above, when the unreadable list could not even be moved aside; %1 the file, %2 why.</extracomment>
        <translation>Les noms des fichiers ancrés auparavant n’ont pas pu être lus dans %1 : %2. Les ancrages eux-mêmes ne sont pas touchés ; la liste illisible sera remplacée dès que des fichiers seront ajoutés.</translation>
    </message>
</context>
<context>
    <name>uw::ui::AnchoringModel</name>
    <message>
        <source>The anchoring core starts once the identity is unlocked.</source>
        <translation>Le moteur d’ancrage démarre une fois l’identité déverrouillée.</translation>
    </message>
    <message>
        <source>Opening the anchoring wallet…</source>
        <extracomment>The anchoring wallet&apos;s key is being decrypted with the passphrase (a second or two).</extracomment>
        <translation>Ouverture du portefeuille d’ancrage…</translation>
    </message>
    <message>
        <source>The anchoring wallet could not be opened: %1</source>
        <extracomment>%1 says why the anchoring wallet&apos;s key could not be opened.</extracomment>
        <translation>Le portefeuille d’ancrage n’a pas pu être ouvert : %1</translation>
    </message>
    <message>
        <source>The node is saved. Lock and unlock again (restart the application) so that the anchoring wallet can be opened with your passphrase.</source>
        <extracomment>A node was just configured, but the anchoring wallet&apos;s key needs the passphrase typed at unlock.</extracomment>
        <translation>Le nœud est enregistré. Verrouillez puis déverrouillez à nouveau (redémarrez l’application) pour que le portefeuille d’ancrage soit ouvert avec votre phrase secrète.</translation>
    </message>
    <message>
        <source>Anchoring with the node %1. Wallet address: %2</source>
        <extracomment>The anchoring core runs: %1 the node (its address), %2 the wallet&apos;s Bitcoin address.</extracomment>
        <translation>Ancrage avec le nœud %1. Adresse du portefeuille : %2</translation>
    </message>
    <message>
        <source>The anchoring core reports: %1</source>
        <extracomment>The anchoring core reported a problem; %1 says what.</extracomment>
        <translation>Le moteur d’ancrage signale : %1</translation>
    </message>
    <message>
        <source>Connecting to the node…</source>
        <extracomment>The anchoring core opens its database and asks the node where the chain is.</extracomment>
        <translation>Connexion au nœud…</translation>
    </message>
    <message>
        <source>The anchoring core is not running; nothing was anchored.</source>
        <extracomment>Files were given while the anchoring core is not running.</extracomment>
        <translation>Le moteur d’ancrage ne tourne pas ; rien n’a été ancré.</translation>
    </message>
    <message>
        <source>Wait until the files being read are done, or cancel them.</source>
        <extracomment>Files were given while others are still being read.</extracomment>
        <translation>Attendez la fin de la lecture des fichiers en cours, ou annulez-la.</translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <extracomment>%1 a file&apos;s name, %2 why it cannot be read.</extracomment>
        <translation>%1 n’a pas pu être lu : %2</translation>
    </message>
    <message>
        <source>Cancelled: nothing was anchored.</source>
        <extracomment>The person cancelled the hashing of the files they added.</extracomment>
        <translation>Annulé : rien n’a été ancré.</translation>
    </message>
    <message>
        <source>The files were not anchored: %1</source>
        <extracomment>The anchoring core refused the digests; %1 says why.</extracomment>
        <translation>Les fichiers n’ont pas été ancrés : %1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) accepted: their anchor follows in the next round.</source>
        <extracomment>%n files were hashed and their digests are committed to the next round.</extracomment>
        <translation>
            <numerusform>%n fichier accepté : son ancrage suivra dans le prochain lot.</numerusform>
            <numerusform>%n fichiers acceptés : leur ancrage suivra dans le prochain lot.</numerusform>
        </translation>
    </message>
    <message>
        <source>The anchoring core is not running.</source>
        <translation>Le moteur d’ancrage ne tourne pas.</translation>
    </message>
    <message>
        <source>Fill in a Bitcoin Core RPC URL or an Esplora URL first.</source>
        <extracomment>Test connection, with neither a Bitcoin Core URL nor an Esplora URL filled in.</extracomment>
        <translation>Indiquez d’abord une URL RPC Bitcoin Core ou une URL Esplora.</translation>
    </message>
    <message>
        <source>The node did not answer: %1</source>
        <extracomment>Test connection failed; %1 the node&apos;s or the network&apos;s error.</extracomment>
        <translation>Le nœud n’a pas répondu : %1</translation>
    </message>
    <message>
        <source>Connected: the node is at height %1.</source>
        <translation>Connecté : le nœud est à la hauteur %1.</translation>
    </message>
    <message>
        <source>Connected: chain %1, height %2.</source>
        <translation>Connecté : chaîne %1, hauteur %2.</translation>
    </message>
    <message>
        <source>A proof is checked against a Bitcoin node: configure one in Settings first.</source>
        <extracomment>Verify a file, while no node is configured.</extracomment>
        <translation>Une preuve se vérifie auprès d’un nœud Bitcoin : configurez-en d’abord un dans les Paramètres.</translation>
    </message>
    <message>
        <source>%1 is too large to be a proof.</source>
        <translation>%1 est trop volumineux pour être une preuve.</translation>
    </message>
    <message>
        <source>The proof commits to %1: it is in block %2 (%3) of %4, as the node says.</source>
        <extracomment>A proof holds: %1 the file, %2 the block height, %3 the block hash, %4 the network.</extracomment>
        <translation>La preuve engage %1 : elle figure dans le bloc %2 (%3) de %4, selon le nœud.</translation>
    </message>
    <message>
        <source>This proof is not for %1: it commits to another document.</source>
        <extracomment>A proof for another file; %1 the file chosen.</extracomment>
        <translation>Cette preuve ne porte pas sur %1 : elle engage un autre document.</translation>
    </message>
    <message>
        <source>The proof does not hold: it does not lead to the block the node has at that height (%1).</source>
        <translation>La preuve ne tient pas : elle ne mène pas au bloc que le nœud a à cette hauteur (%1).</translation>
    </message>
    <message>
        <source>The proof names another network than this node&apos;s: %1</source>
        <translation>La preuve désigne un autre réseau que celui de ce nœud : %1</translation>
    </message>
    <message>
        <source>This is not a valid proof: %1</source>
        <extracomment>The .ots file is not a valid proof; %1 says what is wrong with it.</extracomment>
        <translation>Ce n’est pas une preuve valide : %1</translation>
    </message>
    <message>
        <source>The proof could not be checked against the node: %1</source>
        <extracomment>The node could not be asked; %1 its error.</extracomment>
        <translation>La preuve n’a pas pu être vérifiée auprès du nœud : %1</translation>
    </message>
    <message>
        <source>The anchors are safe, but the files&apos; names could not be saved for the next session: %1</source>
        <extracomment>The list of anchored files&apos; names could not be written; %1 the system&apos;s reason.</extracomment>
        <translation>Les ancrages ne sont pas touchés, mais les noms des fichiers n’ont pas pu être enregistrés pour la prochaine session : %1</translation>
    </message>
    <message>
        <source>The UTXO sync stopped with the anchoring core: nothing was imported.</source>
        <extracomment>A UTXO sync was running when the node&apos;s settings changed (or the application quit).</extracomment>
        <translation>La synchronisation des UTXO s’est arrêtée avec le moteur d’ancrage&#xa0;: rien n’a été importé.</translation>
    </message>
    <message>
        <source>The anchoring core is not running: the UTXOs cannot be synced now.</source>
        <translation>Le moteur d’ancrage ne tourne pas&#xa0;: les UTXO ne peuvent pas être synchronisés maintenant.</translation>
    </message>
    <message numerus="yes">
        <source>%n UTXO(s) imported, %1 already known.</source>
        <extracomment>After a UTXO sync: %n new UTXOs, %1 already known.</extracomment>
        <translation>
            <numerusform>%n UTXO importé, %1 déjà connu(s).</numerusform>
            <numerusform>%n UTXO importés, %1 déjà connu(s).</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync cancelled: the node&apos;s scan was stopped and nothing was imported.</source>
        <extracomment>The person cancelled the UTXO sync.</extracomment>
        <translation>Synchronisation annulée&#xa0;: l’analyse du nœud a été arrêtée et rien n’a été importé.</translation>
    </message>
    <message>
        <source>The UTXO sync failed: %1</source>
        <extracomment>%1 says why the UTXO sync failed.</extracomment>
        <translation>La synchronisation des UTXO a échoué&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>uw::ui::AnchoringScreen</name>
    <message>
        <source>Anchoring</source>
        <translation>Ancrage</translation>
    </message>
    <message>
        <source>Anchoring proves that a file existed at a given time: its SHA-256 fingerprint is written into the Bitcoin blockchain. Files are read on this computer; only their fingerprints leave it. Drop files here or add them.</source>
        <extracomment>The Anchoring page&apos;s introduction.</extracomment>
        <translation>L’ancrage prouve qu’un fichier existait à une date donnée : son empreinte SHA-256 est inscrite dans la blockchain Bitcoin. Les fichiers sont lus sur cet ordinateur ; seules leurs empreintes en sortent. Déposez des fichiers ici ou ajoutez-les.</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <source>Verify a file…</source>
        <translation>Vérifier un fichier…</translation>
    </message>
    <message>
        <source>Check that a .ots proof commits to a document, against the node.</source>
        <extracomment>Tooltip of &quot;Verify a file…&quot;.</extracomment>
        <translation>Vérifier auprès du nœud qu’une preuve .ots engage bien un document.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>No file anchored yet. Drop files on this page, or use “Add files…”.</source>
        <extracomment>Shown instead of the table while no file was anchored from this profile.</extracomment>
        <translation>Aucun fichier ancré pour l’instant. Déposez des fichiers sur cette page ou utilisez « Ajouter des fichiers… ».</translation>
    </message>
    <message>
        <source>Copy transaction id</source>
        <translation>Copier l’identifiant de transaction</translation>
    </message>
    <message>
        <source>Export proof…</source>
        <translation>Exporter la preuve…</translation>
    </message>
    <message>
        <source>Save the OpenTimestamps proof (.ots) of the selected file; available once confirmed.</source>
        <extracomment>Tooltip of &quot;Export proof…&quot;.</extracomment>
        <translation>Enregistrer la preuve OpenTimestamps (.ots) du fichier choisi ; disponible une fois confirmé.</translation>
    </message>
    <message>
        <source>Reading %1 (%2 of %3)…</source>
        <extracomment>Hashing progress: %1 the file&apos;s name, %2 its number, %3 how many files.</extracomment>
        <translation>Lecture de %1 (%2 sur %3)…</translation>
    </message>
    <message>
        <source>%1 is already anchored: its anchor is selected, nothing new is spent.</source>
        <extracomment>A file dropped again: %1 its name. Its anchor is selected in the table; nothing is spent.</extracomment>
        <translation>%1 est déjà ancré : son ancrage est sélectionné, rien de plus n’est dépensé.</translation>
    </message>
    <message>
        <source>Proof saved to %1.</source>
        <translation>Preuve enregistrée dans %1.</translation>
    </message>
    <message>
        <source>The proof was not saved: %1</source>
        <extracomment>%1 says why the proof could not be saved.</extracomment>
        <translation>La preuve n’a pas été enregistrée : %1</translation>
    </message>
    <message>
        <source>No Bitcoin node is configured: anchoring needs one to publish and check anchors. &lt;a href=&quot;settings&quot;&gt;Configure a node in Settings&lt;/a&gt;.</source>
        <extracomment>No node configured; the link opens the Settings page (keep the &lt;a&gt; tags).</extracomment>
        <translation>Aucun nœud Bitcoin n’est configuré : l’ancrage en a besoin pour publier et vérifier les ancrages. &lt;a href=&quot;settings&quot;&gt;Configurer un nœud dans les Paramètres&lt;/a&gt;.</translation>
    </message>
    <message>
        <source>Checking the proof of %1…</source>
        <extracomment>While a proof is checked against the node.</extracomment>
        <translation>Vérification de la preuve de %1…</translation>
    </message>
    <message>
        <source>Files to anchor</source>
        <extracomment>File dialog title.</extracomment>
        <translation>Fichiers à ancrer</translation>
    </message>
    <message>
        <source>Document to verify</source>
        <extracomment>File dialog title: the document whose proof is checked.</extracomment>
        <translation>Document à vérifier</translation>
    </message>
    <message>
        <source>Its proof</source>
        <extracomment>File dialog title: its .ots proof. The filter names OpenTimestamps proofs.</extracomment>
        <translation>Sa preuve</translation>
    </message>
    <message>
        <source>OpenTimestamps proofs (*.ots);;All files (*)</source>
        <translation>Preuves OpenTimestamps (*.ots);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Save the proof</source>
        <extracomment>File dialog title.</extracomment>
        <translation>Enregistrer la preuve</translation>
    </message>
    <message>
        <source>Transaction id copied.</source>
        <extracomment>The transaction id was copied to the clipboard.</extracomment>
        <translation>Identifiant de transaction copié.</translation>
    </message>
    <message>
        <source>Anchored files</source>
        <extracomment>Accessible name of the table of the files anchored in Bitcoin.</extracomment>
        <translation>Fichiers ancrés</translation>
    </message>
    <message>
        <source>Sync UTXOs</source>
        <extracomment>Imports the anchoring wallet&apos;s coins from the node (it scans its whole UTXO set: minutes on mainnet).</extracomment>
        <translation>Synchroniser les UTXO</translation>
    </message>
    <message>
        <source>Find the coins that pay the anchoring wallet on the node and add them to its list.</source>
        <extracomment>Tooltip of &quot;Sync UTXOs&quot;.</extracomment>
        <translation>Trouver sur le nœud les pièces qui paient le portefeuille d’ancrage et les ajouter à sa liste.</translation>
    </message>
    <message>
        <source>Cancelling: stopping the node&apos;s scan…</source>
        <extracomment>After Cancel, until the node confirms that its scan stopped.</extracomment>
        <translation>Annulation&#xa0;: arrêt de l’analyse du nœud…</translation>
    </message>
    <message>
        <source>Asking the node for the wallet&apos;s UTXOs…</source>
        <extracomment>The node is asked for the wallet&apos;s coins; it gives no progress figure (yet).</extracomment>
        <translation>Demande au nœud des UTXO du portefeuille…</translation>
    </message>
    <message>
        <source>Saving %L1 UTXOs… %2 %</source>
        <extracomment>%L1 how many UTXOs are written into the wallet&apos;s database, %2 the percentage done.</extracomment>
        <translation>Enregistrement de %L1 UTXO… %2&#xa0;%</translation>
    </message>
    <message>
        <source>Scanning the node&apos;s UTXO set… %1 %</source>
        <extracomment>The node walks its whole UTXO set (minutes on mainnet); %1 the percentage done.</extracomment>
        <translation>Analyse de l’ensemble des UTXO du nœud… %1&#xa0;%</translation>
    </message>
    <message>
        <source>Writing the proof of %1: asking the node for its block…</source>
        <extracomment>While a .ots proof is built: the node&apos;s block is fetched first. %1 the file&apos;s name (or digest).</extracomment>
        <translation>Écriture de la preuve de %1&#xa0;: demande de son bloc au nœud…</translation>
    </message>
</context>
<context>
    <name>uw::ui::BackupModel</name>
    <message>
        <source>A backup is already being written or restored.</source>
        <translation>Une sauvegarde est déjà en cours d’écriture ou de restauration.</translation>
    </message>
</context>
<context>
    <name>uw::ui::ChecklistScreen</name>
    <message>
        <source>Before you start</source>
        <extracomment>Title of the checklist shown after a first run (create, join or restore).</extracomment>
        <translation>Avant de commencer</translation>
    </message>
    <message>
        <source>This device is ready. A few things make it useful; each is ticked when it is done, and the Help menu brings this list back.</source>
        <translation>Cet appareil est prêt. Quelques étapes le rendent utile&#xa0;; chacune est cochée une fois faite, et le menu Aide rouvre cette liste.</translation>
    </message>
    <message>
        <source>Retry</source>
        <extracomment>Checklist button: connect to the relays that were not reached, now.</extracomment>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Open Devices</source>
        <extracomment>Checklist button: go to the Devices page, where another device is paired.</extracomment>
        <translation>Ouvrir les Appareils</translation>
    </message>
    <message>
        <source>Export a backup…</source>
        <extracomment>Checklist button: go to Settings, where a backup of the profile is exported.</extracomment>
        <translation>Exporter une sauvegarde…</translation>
    </message>
    <message>
        <source>Continue</source>
        <extracomment>Checklist button: leave the checklist for the wallet&apos;s pages.</extracomment>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>Done</source>
        <extracomment>A checklist item&apos;s state, said by a screen reader.</extracomment>
        <translation>Fait</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>À faire</translation>
    </message>
    <message>
        <source>No relay is set: logins and pairing go through relays. Add one in Settings.</source>
        <extracomment>Checklist: the profile has no relay.</extracomment>
        <translation>Aucun relais n’est défini&#xa0;: les connexions et l’appairage passent par des relais. Ajoutez-en un dans les Paramètres.</translation>
    </message>
    <message>
        <source>Relays reachable: %1 of %2.</source>
        <extracomment>Checklist: %1 relays reached out of %2 (all of them).</extracomment>
        <translation>Relais joignables&#xa0;: %1 sur %2.</translation>
    </message>
    <message>
        <source>Relays reachable: %1 of %2 — checking…</source>
        <extracomment>Checklist: %1 relays reached out of %2; a connection is being opened.</extracomment>
        <translation>Relais joignables&#xa0;: %1 sur %2 — vérification…</translation>
    </message>
    <message>
        <source>Relays reachable: %1 of %2. The others do not answer; logins need at least one.</source>
        <extracomment>Checklist: %1 relays reached out of %2; the others do not answer.</extracomment>
        <translation>Relais joignables&#xa0;: %1 sur %2. Les autres ne répondent pas&#xa0;; une connexion en demande au moins un.</translation>
    </message>
    <message>
        <source>Open Settings</source>
        <translation>Ouvrir les Paramètres</translation>
    </message>
    <message numerus="yes">
        <source>Devices paired: %1; each login needs %n.</source>
        <extracomment>Checklist: %1 devices paired; %n devices sign each login.</extracomment>
        <translation>
            <numerusform>Appareils appairés&#xa0;: %1&#xa0;; chaque connexion en demande %n.</numerusform>
            <numerusform>Appareils appairés&#xa0;: %1&#xa0;; chaque connexion en demande %n.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pair a second device: each login needs %n devices of this member; paired so far: %1.</source>
        <extracomment>Checklist: the member needs %n devices to log in; %1 are paired so far.</extracomment>
        <translation>
            <numerusform>Appairez un deuxième appareil&#xa0;: chaque connexion demande %n appareil de ce membre&#xa0;; appairés pour l’instant&#xa0;: %1.</numerusform>
            <numerusform>Appairez un deuxième appareil&#xa0;: chaque connexion demande %n appareils de ce membre&#xa0;; appairés pour l’instant&#xa0;: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pair another device: each login needs %n devices of this member; paired so far: %1.</source>
        <translation>
            <numerusform>Appairez un autre appareil&#xa0;: chaque connexion demande %n appareil de ce membre&#xa0;; appairés pour l’instant&#xa0;: %1.</numerusform>
            <numerusform>Appairez un autre appareil&#xa0;: chaque connexion demande %n appareils de ce membre&#xa0;; appairés pour l’instant&#xa0;: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>A backup of this profile is made.</source>
        <translation>Une sauvegarde de ce profil a été faite.</translation>
    </message>
    <message>
        <source>Make a backup of this profile (Settings): a lost or broken computer would take this device&apos;s keys with it.</source>
        <translation>Faites une sauvegarde de ce profil (Paramètres)&#xa0;: un ordinateur perdu ou en panne emporterait les clés de cet appareil.</translation>
    </message>
</context>
<context>
    <name>uw::ui::DashboardModel</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1 : %2</translation>
    </message>
</context>
<context>
    <name>uw::ui::DashboardScreen</name>
    <message>
        <source>Node dashboard</source>
        <translation>Tableau de bord du nœud</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <extracomment>Button: save the dashboard&apos;s figures as a JSON file.</extracomment>
        <translation>Exporter en JSON…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <extracomment>Button: save the dashboard&apos;s figures as a CSV file.</extracomment>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <source>This process</source>
        <translation>Ce processus</translation>
    </message>
    <message>
        <source>UTXO pool</source>
        <translation>Réserve d’UTXO</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>Ancrages</translation>
    </message>
    <message>
        <source>Services of the node, in their start order</source>
        <translation>Services du nœud, dans leur ordre de démarrage</translation>
    </message>
    <message>
        <source>Collecting…</source>
        <translation>Collecte…</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <extracomment>When the dashboard&apos;s figures were collected; %1 is a time of day.</extracomment>
        <translation>Mis à jour à %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;No Bitcoin node is configured.&lt;/b&gt;&lt;br&gt;Set it in Settings (Bitcoin Core RPC or Esplora).</source>
        <translation>&lt;b&gt;Aucun nœud Bitcoin n’est configuré.&lt;/b&gt;&lt;br&gt;Définissez-le dans les Paramètres (RPC de Bitcoin Core ou Esplora).</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>aucune pour l’instant</translation>
    </message>
    <message>
        <source>Memory %1 MB&lt;br&gt;Threads %2&lt;br&gt;Database %3 MB</source>
        <extracomment>This process: %1 resident memory, %2 threads, %3 the size of the anchoring database.</extracomment>
        <translation>Mémoire %1 Mo&lt;br&gt;Fils d’exécution %2&lt;br&gt;Base de données %3 Mo</translation>
    </message>
    <message>
        <source>No anchoring wallet in this profile.</source>
        <translation>Aucun portefeuille d’ancrage dans ce profil.</translation>
    </message>
    <message>
        <source>No lock past its expiry</source>
        <extracomment>No UTXO of the anchoring wallet is locked beyond its deadline.</extracomment>
        <translation>Aucun verrou expiré</translation>
    </message>
    <message>
        <source>UTXOs</source>
        <translation>UTXO</translation>
    </message>
    <message>
        <source>Unspent UTXOs by value (sat)</source>
        <translation>UTXO non dépensés par valeur (sat)</translation>
    </message>
    <message>
        <source>Queue &lt;b&gt;%1&lt;/b&gt; — broadcast %2 — confirmed %3 — failed %4</source>
        <extracomment>The anchors by state: %1 waiting to be sent, %2 in the mempool, %3 in a block, %4 given up.</extracomment>
        <translation>File &lt;b&gt;%1&lt;/b&gt; — diffusés %2 — confirmés %3 — échoués %4</translation>
    </message>
    <message>
        <source>No anchors in this profile.</source>
        <translation>Aucun ancrage dans ce profil.</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <source>Export JSON</source>
        <translation>Exporter en JSON</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Chain &lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Blocks &lt;b&gt;%2&lt;/b&gt; / headers %3 — verified %4 %&lt;br&gt;Best block %5&lt;br&gt;Mempool %6 transactions, %7 bytes&lt;br&gt;Peers %8&lt;br&gt;Fee estimate (6 blocks) %9</source>
        <extracomment>The Bitcoin node&apos;s figures. %3: headers known, %4: percentage of the chain verified, %5: date of the best block, %6 and %7: transactions and bytes waiting in the mempool, %8: peers, %9: a fee rate or &quot;none yet&quot;.</extracomment>
        <translation>Chaîne &lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Blocs &lt;b&gt;%2&lt;/b&gt; / en-têtes %3 — vérifiés à %4 %&lt;br&gt;Meilleur bloc %5&lt;br&gt;Mempool %6 transactions, %7 octets&lt;br&gt;Pairs %8&lt;br&gt;Estimation des frais (6 blocs) %9</translation>
    </message>
    <message>
        <source>%1 sat/vB</source>
        <translation>%1 sat/vo</translation>
    </message>
    <message>
        <source>Anchors per minute over the last hour (now on the right)</source>
        <translation>Ancrages par minute sur une heure (maintenant à droite)</translation>
    </message>
    <message>
        <source>Relays</source>
        <translation>Relais</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <extracomment>The dashboard&apos;s figures were written to the file %1.</extracomment>
        <translation>Exporté dans %1.</translation>
    </message>
    <message>
        <source>UTXOs by state</source>
        <extracomment>Accessible name of the table of the anchoring wallet&apos;s UTXOs counted by state.</extracomment>
        <translation>UTXO par état</translation>
    </message>
    <message>
        <source>Unspent UTXOs by value</source>
        <extracomment>Accessible name of the chart of unspent outputs counted by value range.</extracomment>
        <translation>UTXO non dépensés par valeur</translation>
    </message>
    <message>
        <source>Anchors per minute, last hour</source>
        <extracomment>Accessible name of the chart of anchors published in each minute of the last hour.</extracomment>
        <translation>Ancrages par minute, dernière heure</translation>
    </message>
    <message>
        <source>Latest anchors</source>
        <extracomment>Accessible name of the table of the most recent anchors.</extracomment>
        <translation>Derniers ancrages</translation>
    </message>
    <message>
        <source>Services of the node</source>
        <extracomment>Accessible name of the table of the node&apos;s services and their health.</extracomment>
        <translation>Services du nœud</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:%2&apos;&gt;Unreachable&lt;/b&gt;&lt;br&gt;%1</source>
        <extracomment>The Bitcoin node does not answer; %1 is the reason.</extracomment>
        <translation>&lt;b style=&apos;color:%2&apos;&gt;Injoignable&lt;/b&gt;&lt;br&gt;%1</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b style=&apos;color:%1&apos;&gt;%n lock(s) past their expiry&lt;/b&gt;</source>
        <extracomment>UTXOs of the anchoring wallet still locked after their deadline (an anchor that never finished).</extracomment>
        <translation>
            <numerusform>&lt;b style=&apos;color:%1&apos;&gt;%n verrou expiré&lt;/b&gt;</numerusform>
            <numerusform>&lt;b style=&apos;color:%1&apos;&gt;%n verrous expirés&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 to %2 sat</source>
        <extracomment>A range of coin values in the dashboard&apos;s histogram, in satoshis.</extracomment>
        <translation>de %1 à %2 sat</translation>
    </message>
    <message>
        <source>%1 sat or more</source>
        <extracomment>The histogram&apos;s last range of coin values: this many satoshis or more.</extracomment>
        <translation>%1 sat ou plus</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n UTXO(s)</source>
        <extracomment>A bar of the dashboard&apos;s histogram: %1 a range of values, %n the unspent coins in it.</extracomment>
        <translation>
            <numerusform>%1&#xa0;: %n UTXO</numerusform>
            <numerusform>%1&#xa0;: %n UTXO</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>uw::ui::DeviceListModel</name>
    <message>
        <source>%1 (this device)</source>
        <extracomment>A device in the member&apos;s list, marked as the one running this window.</extracomment>
        <translation>%1 (cet appareil)</translation>
    </message>
    <message>
        <source>Device</source>
        <extracomment>Column title: a device (pair) of the member, by its label.</extracomment>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <extracomment>Column title: the short fingerprint of a device&apos;s key, as shown while pairing.</extracomment>
        <translation>Empreinte de la clé</translation>
    </message>
    <message>
        <source>This device cannot be renamed here.</source>
        <extracomment>Renaming this device is not possible here (no identity unlocked, or no relay runtime).</extracomment>
        <translation>Cet appareil ne peut pas être renommé ici.</translation>
    </message>
    <message>
        <source>Pair %1</source>
        <extracomment>Tooltip of a device in the list: its pair id (a UUID).</extracomment>
        <translation>Paire %1</translation>
    </message>
    <message>
        <source>Last activity</source>
        <extracomment>Column title: when the device was last seen acting (signing, logging in…).</extracomment>
        <translation>Dernière activité</translation>
    </message>
    <message>
        <source>Devices cannot be removed here.</source>
        <extracomment>Removing a device is not possible here (no identity unlocked, or no relay runtime).</extracomment>
        <translation>Les appareils ne peuvent pas être retirés ici.</translation>
    </message>
    <message>
        <source>Another change of the member document is under way.</source>
        <extracomment>The Remove button waits: a rename or a removal is being published.</extracomment>
        <translation>Une autre modification du document du membre est en cours.</translation>
    </message>
    <message>
        <source>“%1” is the member&apos;s only device: without it nobody could sign. Pair another device first.</source>
        <extracomment>%1 a device&apos;s name. Removing it is refused: no device would be left.</extracomment>
        <translation>« %1&#xa0;» est le seul appareil du membre&#xa0;: sans lui, personne ne pourrait signer. Appairez d’abord un autre appareil.</translation>
    </message>
    <message>
        <source>“%1” is this device. A device does not remove itself: remove it from another of the member&apos;s devices, on its Devices page.</source>
        <extracomment>%1 this device&apos;s name. A device is removed from another device, never from itself.</extracomment>
        <translation>« %1&#xa0;» est cet appareil. Un appareil ne se retire pas lui-même&#xa0;: retirez-le depuis un autre appareil du membre, sur sa page Appareils.</translation>
    </message>
    <message>
        <source>Each login needs %2 devices; without “%1” only %3 would be left and no login could succeed. Pair another device first.</source>
        <extracomment>%1 a device&apos;s name; %2 how many devices must sign each login; %3 how many would be left.</extracomment>
        <translation>Chaque connexion demande %2 appareils&#xa0;; sans « %1&#xa0;», il n’en resterait que %3 et aucune connexion ne pourrait aboutir. Appairez d’abord un autre appareil.</translation>
    </message>
    <message>
        <source>no activity seen</source>
        <extracomment>Last activity of a device: nothing was found on the relays nor in this profile&apos;s records.</extracomment>
        <translation>aucune activité vue</translation>
    </message>
    <message>
        <source>checking the relays…</source>
        <translation>interrogation des relais…</translation>
    </message>
    <message>
        <source>just now</source>
        <extracomment>Last activity: less than a minute ago.</extracomment>
        <translation>à l’instant</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <extracomment>Last activity: %n minutes ago.</extracomment>
        <translation>
            <numerusform>il y a %n min</numerusform>
            <numerusform>il y a %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <extracomment>Last activity: %n hours ago.</extracomment>
        <translation>
            <numerusform>il y a %n h</numerusform>
            <numerusform>il y a %n h</numerusform>
        </translation>
    </message>
    <message>
        <source>No event signed by this device&apos;s key on the relays, nor in this profile&apos;s records. Relays keep login events only until they expire.</source>
        <extracomment>Tooltip of &quot;no activity seen&quot;.</extracomment>
        <translation>Aucun évènement signé par la clé de cet appareil sur les relais, ni dans les enregistrements de ce profil. Les relais ne gardent les évènements de connexion que jusqu’à leur expiration.</translation>
    </message>
    <message>
        <source>a login, recorded in this device&apos;s history</source>
        <extracomment>What a device last did (tooltip of its last activity).</extracomment>
        <translation>une connexion, enregistrée dans l’historique de cet appareil</translation>
    </message>
    <message>
        <source>started a login</source>
        <translation>a lancé une connexion</translation>
    </message>
    <message>
        <source>signed a login</source>
        <translation>a signé une connexion</translation>
    </message>
    <message>
        <source>took part in a pairing</source>
        <translation>a participé à un appairage</translation>
    </message>
    <message>
        <source>published a version of the member document</source>
        <translation>a publié une version du document du membre</translation>
    </message>
    <message>
        <source>refused a login</source>
        <translation>a refusé une connexion</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>Tooltip of a device&apos;s last activity: %1 the exact date and time, %2 what it did.</extracomment>
        <translation>%1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>uw::ui::FileAnchorModel</name>
    <message>
        <source>File</source>
        <extracomment>Column title: the name of an anchored file.</extracomment>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <extracomment>Column title: the file&apos;s SHA-256 fingerprint (shortened; the tooltip shows it whole).</extracomment>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>State</source>
        <extracomment>Column title: where a file&apos;s anchor stands (waiting, in the mempool, confirmed...).</extracomment>
        <translation>État</translation>
    </message>
    <message>
        <source>Transaction</source>
        <extracomment>Column title: the Bitcoin transaction id of an anchor.</extracomment>
        <translation>Transaction</translation>
    </message>
    <message>
        <source>waiting for its round</source>
        <extracomment>A file&apos;s digest waits for its round to close (a round gathers many digests into one transaction).</extracomment>
        <translation>en attente de son lot</translation>
    </message>
    <message>
        <source>queued</source>
        <extracomment>The round is closed; its transaction waits to be built.</extracomment>
        <translation>en file d’attente</translation>
    </message>
    <message>
        <source>signed, not yet sent</source>
        <extracomment>The anchor&apos;s transaction is signed but not yet accepted by the Bitcoin node.</extracomment>
        <translation>signée, pas encore envoyée</translation>
    </message>
    <message>
        <source>broadcast, waiting for a block</source>
        <extracomment>The anchor&apos;s transaction waits in the node&apos;s mempool for a block.</extracomment>
        <translation>diffusée, en attente d’un bloc</translation>
    </message>
    <message numerus="yes">
        <source>confirmed (%n confirmation(s))</source>
        <extracomment>The anchor&apos;s transaction is in a block; %n is the number of confirmations.</extracomment>
        <translation>
            <numerusform>confirmé (%n confirmation)</numerusform>
            <numerusform>confirmé (%n confirmations)</numerusform>
        </translation>
    </message>
    <message>
        <source>failed</source>
        <extracomment>The anchor was given up; %1 is the reason.</extracomment>
        <translation>échec</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>échec : %1</translation>
    </message>
    <message numerus="yes">
        <source>Anchored with %n other digest(s) in one transaction.</source>
        <extracomment>Tooltip: the file&apos;s digest shares one transaction with %n other files&apos; digests (a Merkle round).</extracomment>
        <translation>
            <numerusform>Ancré avec %n autre empreinte dans une même transaction.</numerusform>
            <numerusform>Ancré avec %n autres empreintes dans une même transaction.</numerusform>
        </translation>
    </message>
    <message>
        <source>In block %1 (%2)</source>
        <extracomment>Tooltip on a confirmed anchor&apos;s transaction: %1 the block height, %2 its hash.</extracomment>
        <translation>Dans le bloc %1 (%2)</translation>
    </message>
    <message>
        <source>%1
Added %2</source>
        <extracomment>Tooltip on an anchored file&apos;s name: %1 where the file was, %2 when it was added.</extracomment>
        <translation>%1
Ajouté le %2</translation>
    </message>
    <message>
        <source>not known yet (the anchoring core is not running)</source>
        <extracomment>A file listed from an earlier session; its anchor&apos;s state comes once the anchoring core runs.</extracomment>
        <translation>pas encore connu (le moteur d’ancrage ne tourne pas)</translation>
    </message>
    <message>
        <source>not in this profile&apos;s anchor database</source>
        <extracomment>A file listed from an earlier session whose digest the profile&apos;s anchor database does not hold.</extracomment>
        <translation>absent de la base d’ancrage de ce profil</translation>
    </message>
</context>
<context>
    <name>uw::ui::HistoryModel</name>
    <message>
        <source>success</source>
        <extracomment>The outcome of a past login: the service accepted the proof.</extracomment>
        <translation>réussie</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>échec</translation>
    </message>
    <message>
        <source>When</source>
        <extracomment>Column title: the date and time of a login.</extracomment>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Service</source>
        <extracomment>Column title: the service logged in to.</extracomment>
        <translation>Service</translation>
    </message>
    <message>
        <source>Outcome</source>
        <extracomment>Column title: whether the login went through.</extracomment>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
</context>
<context>
    <name>uw::ui::HistoryScreen</name>
    <message>
        <source>History of logins</source>
        <translation>Historique des connexions</translation>
    </message>
    <message>
        <source>No login yet from this device.</source>
        <translation>Aucune connexion depuis cet appareil pour l’instant.</translation>
    </message>
    <message>
        <source>Login history</source>
        <extracomment>Accessible name of the table of past logins.</extracomment>
        <translation>Historique des connexions</translation>
    </message>
</context>
<context>
    <name>uw::ui::LoginModel</name>
    <message>
        <source>device %1…</source>
        <extracomment>A device without a label: %1 is the start of its pair id.</extracomment>
        <translation>appareil %1…</translation>
    </message>
    <message>
        <source>%1 (member %2)</source>
        <extracomment>A remote signature at the confirmation: %1 the device, %2 its member.</extracomment>
        <translation>%1 (membre %2)</translation>
    </message>
    <message>
        <source>%1 (member %2), signed at %3, via %4</source>
        <extracomment>A remote signature at the confirmation: %1 the device, %2 its member, %3 the time it was signed, %4 the relays that delivered it.</extracomment>
        <translation>%1 (membre %2), signé à %3, via %4</translation>
    </message>
</context>
<context>
    <name>uw::ui::LoginScreen</name>
    <message>
        <source>Log in to a service</source>
        <translation>Se connecter à un service</translation>
    </message>
    <message>
        <source>Choose a service…</source>
        <extracomment>The first entry of the list of known services: pick one to fill the form.</extracomment>
        <translation>Choisir un service…</translation>
    </message>
    <message>
        <source>Known services:</source>
        <extracomment>Form label: services listed in this profile&apos;s settings, to fill the form with one click.</extracomment>
        <translation>Services connus :</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Service :</translation>
    </message>
    <message>
        <source>Callback:</source>
        <extracomment>Form label: the URL to which the login proof is sent (the service tells it).</extracomment>
        <translation>Adresse de retour :</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Waiting for the other devices&apos; signatures…</source>
        <translation>En attente des signatures des autres appareils…</translation>
    </message>
    <message>
        <source>Signing link for the other device</source>
        <translation>Lien de signature pour l’autre appareil</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Relays</source>
        <translation>Relais</translation>
    </message>
    <message>
        <source>Signatures received</source>
        <translation>Signatures reçues</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Confirm the other device</source>
        <translation>Confirmer l’autre appareil</translation>
    </message>
    <message>
        <source>The words may have been visible on the screen and intercepted. Confirm that it was you who approved on the other device?</source>
        <translation>Les mots ont pu être visibles à l&apos;écran et interceptés. Confirmer que c&apos;est bien vous qui avez validé sur l&apos;autre appareil ?</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accepter</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Not while a confirmation is pending.</source>
        <translation>Pas pendant une confirmation en attente.</translation>
    </message>
    <message>
        <source>New login</source>
        <translation>Nouvelle connexion</translation>
    </message>
    <message>
        <source>%1 — another device (%2…)</source>
        <extracomment>A signature received: %1 is the member, %2 the first characters of the device&apos;s id.</extracomment>
        <translation>%1 — autre appareil (%2…)</translation>
    </message>
    <message>
        <source>%1 — this device (%2…)</source>
        <translation>%1 — cet appareil (%2…)</translation>
    </message>
    <message>
        <source>Preparing the login…</source>
        <translation>Préparation de la connexion…</translation>
    </message>
    <message>
        <source>Signing with this device…</source>
        <translation>Signature avec cet appareil…</translation>
    </message>
    <message>
        <source>Publishing to the relays…</source>
        <translation>Publication sur les relais…</translation>
    </message>
    <message>
        <source>Collecting signatures</source>
        <translation>Collecte des signatures</translation>
    </message>
    <message>
        <source>Proof assembled</source>
        <extracomment>A login step: every signature is in; the user may still have to confirm.</extracomment>
        <translation>Preuve assemblée</translation>
    </message>
    <message>
        <source>Verifying the proof…</source>
        <translation>Vérification de la preuve…</translation>
    </message>
    <message>
        <source>Recording the login…</source>
        <extracomment>A login step: the login&apos;s nonce and the history are written to this device&apos;s wallet.</extracomment>
        <translation>Enregistrement de la connexion…</translation>
    </message>
    <message>
        <source>Sending the proof to the service…</source>
        <translation>Envoi de la preuve au service…</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>Login failed</source>
        <translation>Échec de la connexion</translation>
    </message>
    <message>
        <source>Time left: %1:%2</source>
        <extracomment>Countdown while the other devices sign: %1 minutes, %2 seconds (two digits).</extracomment>
        <translation>Temps restant : %1:%2</translation>
    </message>
    <message>
        <source>You are logged in.</source>
        <translation>Vous êtes connecté.</translation>
    </message>
    <message>
        <source>The login did not go through.</source>
        <translation>La connexion n’a pas abouti.</translation>
    </message>
    <message>
        <source>The service received and accepted the proof (%1).</source>
        <extracomment>%1 is what the service answered (e.g. &quot;HTTP 200&quot;).</extracomment>
        <translation>Le service a reçu et accepté la preuve (%1).</translation>
    </message>
    <message>
        <source>Number to type on the other device:</source>
        <extracomment>Above the large two-digit number, next to the QR code.</extracomment>
        <translation>Nombre à saisir sur l’autre appareil :</translation>
    </message>
    <message>
        <source>Number to type on the other device: %1</source>
        <extracomment>Accessible text of the large number: %1 is the two digits.</extracomment>
        <translation>Nombre à saisir sur l’autre appareil : %1</translation>
    </message>
    <message>
        <source>Signed on another device:</source>
        <extracomment>Followed by one line per signature from another device: its label, member, time and relays.</extracomment>
        <translation>Signé sur un autre appareil&#xa0;:</translation>
    </message>
    <message>
        <source>Fetching the login request from %1…</source>
        <extracomment>While the service&apos;s login request is fetched; %1 is the service&apos;s host name.</extracomment>
        <translation>Récupération de la demande de connexion auprès de %1…</translation>
    </message>
    <message>
        <source>(after %1)</source>
        <extracomment>After a member of a login request: the members whose signatures it needs first.</extracomment>
        <translation>(après %1)</translation>
    </message>
    <message>
        <source>%1 asks these members to sign:</source>
        <extracomment>Above the members a service&apos;s login request asks to sign; %1 is the service.</extracomment>
        <translation>%1 demande la signature de ces membres&#xa0;:</translation>
    </message>
    <message>
        <source>This login request was refused.</source>
        <extracomment>Title when a login request (or login link) cannot be used; nothing was published.</extracomment>
        <translation>Cette demande de connexion a été refusée.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of %n device(s)</source>
        <extracomment>One member of a login request: %1 the member, %2 how many of its devices must sign, %n how many it has.</extracomment>
        <translation>
            <numerusform>%1&#xa0;: %2 sur %n appareil</numerusform>
            <numerusform>%1&#xa0;: %2 sur %n appareils</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>uw::ui::MainWindow</name>
    <message>
        <source>UserWallet — %1</source>
        <extracomment>The window&apos;s title; %1 is the profile&apos;s name (one device per profile).
----------
The window&apos;s title once unlocked: %1 the member, %2 this device&apos;s label.
----------
Tooltip of the tray icon; %1 is the profile&apos;s name.</extracomment>
        <translation>UserWallet — %1</translation>
    </message>
    <message>
        <source>Creating the key and protecting it with the passphrase…</source>
        <translation>Création de la clé et protection par la phrase secrète…</translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation>Déverrouillage…</translation>
    </message>
    <message>
        <source>Asking to join over the relays…</source>
        <translation>Demande d’appairage via les relais…</translation>
    </message>
    <message>
        <source>This device joined member &quot;%1&quot;. Unlock it with the passphrase you chose.</source>
        <translation>Cet appareil a rejoint le membre « %1 ». Déverrouillez-le avec la phrase secrète choisie.</translation>
    </message>
    <message>
        <source>The new device was added.</source>
        <translation>Le nouvel appareil a été ajouté.</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Rubriques</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Sign for another device</source>
        <translation>Signer pour un autre appareil</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Appareils</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>About</source>
        <translation>À propos</translation>
    </message>
    <message>
        <source>Relay %1: %2</source>
        <extracomment>Status bar news: %1 is a relay&apos;s address, %2 its new state (connected, unreachable...).</extracomment>
        <translation>Relais %1 : %2</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;member %2&lt;br&gt;%n device(s)</source>
        <extracomment>The side panel: %1 the member&apos;s name (or id), %2 its id, %n the number of its devices.</extracomment>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;membre %2&lt;br&gt;%n appareil</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;membre %2&lt;br&gt;%n appareils</numerusform>
        </translation>
    </message>
    <message>
        <source>Node dashboard</source>
        <translation>Tableau de bord du nœud</translation>
    </message>
    <message>
        <source>Device 1 accepted. Protecting the new key with your passphrase…</source>
        <extracomment>Device 2, while joining: device 1 said yes; the key is being sealed (this takes a few seconds).</extracomment>
        <translation>L’appareil 1 a accepté. Protection de la nouvelle clé par votre phrase secrète…</translation>
    </message>
    <message>
        <source>Anchoring</source>
        <extracomment>Navigation: the page that anchors files in Bitcoin.</extracomment>
        <translation>Ancrage</translation>
    </message>
    <message>
        <source>Open UserWallet</source>
        <extracomment>Tray menu: shows the main window.</extracomment>
        <translation>Ouvrir UserWallet</translation>
    </message>
    <message>
        <source>Logins waiting…</source>
        <extracomment>Tray menu: shows the window of the logins that wait for this device.</extracomment>
        <translation>Connexions en attente…</translation>
    </message>
    <message>
        <source>Start at login</source>
        <extracomment>Tray menu, a check box: start the wallet (in the tray) when the user logs in to the desktop.</extracomment>
        <translation>Lancer à l’ouverture de session</translation>
    </message>
    <message>
        <source>UserWallet will start in the tray when you log in.</source>
        <translation>UserWallet se lancera dans la zone de notification à l’ouverture de votre session.</translation>
    </message>
    <message>
        <source>UserWallet will no longer start when you log in.</source>
        <translation>UserWallet ne se lancera plus à l’ouverture de votre session.</translation>
    </message>
    <message>
        <source>UserWallet</source>
        <translation>UserWallet</translation>
    </message>
    <message>
        <source>UserWallet is in the tray. Open it and unlock this device to be asked by your other devices.</source>
        <extracomment>Shown when the wallet starts in the tray at login.</extracomment>
        <translation>UserWallet est dans la zone de notification. Ouvrez-le et déverrouillez cet appareil pour que vos autres appareils puissent le solliciter.</translation>
    </message>
    <message>
        <source>Login request</source>
        <extracomment>Notification title: a login started on another device asks this one to sign.</extracomment>
        <translation>Demande de connexion</translation>
    </message>
    <message>
        <source>%1 is logging in to %2. Open to check it and type the number it shows.</source>
        <extracomment>Notification: %1 the asking device&apos;s label, %2 the service.</extracomment>
        <translation>%1 se connecte à %2. Ouvrez pour vérifier la connexion et saisir le nombre qu’il affiche.</translation>
    </message>
    <message>
        <source>UserWallet keeps running in the tray, so that your other devices can ask this one. Quit from the tray&apos;s menu.</source>
        <translation>UserWallet continue de tourner dans la zone de notification, pour que vos autres appareils puissent solliciter celui-ci. Quittez-le depuis le menu de la zone de notification.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>Tooltip of a navigation entry: %1 the page, %2 its keyboard shortcut.</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <extracomment>Menu bar: the File menu (&amp; marks the keyboard accelerator).</extracomment>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Log in…</source>
        <extracomment>File menu: go to the login page and start there.</extracomment>
        <translation>Se &amp;connecter…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <extracomment>Menu bar: the View menu, one entry per page.</extracomment>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <extracomment>Menu bar: the Help menu.</extracomment>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About UserWallet</source>
        <extracomment>Help menu: the About page.</extracomment>
        <translation>À &amp;propos de UserWallet</translation>
    </message>
    <message>
        <source>Relays</source>
        <extracomment>Accessible name of the status bar&apos;s relay summary.</extracomment>
        <translation>Relais</translation>
    </message>
    <message>
        <source>Node and anchoring</source>
        <extracomment>Accessible name of the status bar&apos;s node and anchoring summary.</extracomment>
        <translation>Nœud et ancrage</translation>
    </message>
    <message>
        <source>Unlocked profile</source>
        <extracomment>Accessible name of the status bar&apos;s unlocked profile.</extracomment>
        <translation>Profil déverrouillé</translation>
    </message>
    <message>
        <source>No relay</source>
        <extracomment>Status bar: this profile has no relay set.</extracomment>
        <translation>Aucun relais</translation>
    </message>
    <message>
        <source>Relays: %1 of %2</source>
        <translation>Relais&#xa0;: %1 sur %2</translation>
    </message>
    <message>
        <source>No node configured</source>
        <translation>Aucun nœud configuré</translation>
    </message>
    <message>
        <source>Node: anchoring runs</source>
        <extracomment>Status bar: the node is reachable and the anchoring service runs (its height follows).</extracomment>
        <translation>Nœud&#xa0;: ancrage actif</translation>
    </message>
    <message>
        <source>Node: problem</source>
        <extracomment>Status bar: the node or the anchoring service failed (the tooltip says why).</extracomment>
        <translation>Nœud&#xa0;: problème</translation>
    </message>
    <message>
        <source>Node: starting…</source>
        <extracomment>Status bar: the anchoring service is starting or waits for the unlock.</extracomment>
        <translation>Nœud&#xa0;: démarrage…</translation>
    </message>
    <message>
        <source>UserWallet — %1 (%2)</source>
        <translation>UserWallet — %1 (%2)</translation>
    </message>
    <message>
        <source>Profile %1, unlocked</source>
        <extracomment>Tooltip of the status bar&apos;s profile: %1 the profile&apos;s name.</extracomment>
        <translation>Profil %1, déverrouillé</translation>
    </message>
    <message>
        <source>&amp;First steps…</source>
        <extracomment>Help menu: the checklist shown after the first run (relays, a second device, a backup).</extracomment>
        <translation>&amp;Premiers pas…</translation>
    </message>
    <message>
        <source>More menus</source>
        <extracomment>Accessible name and tooltip of the menu bar&apos;s button that shows the menus a narrow window hides.</extracomment>
        <translation>Autres menus</translation>
    </message>
    <message>
        <source>Anchoring queue</source>
        <extracomment>Accessible name of the status bar&apos;s anchoring queue (anchors not yet in a block).</extracomment>
        <translation>File d’ancrage</translation>
    </message>
    <message>
        <source>Node: block %L1, synced</source>
        <translation>Nœud&#xa0;: bloc %L1, synchronisé</translation>
    </message>
    <message>
        <source>Node: block %L1, syncing…</source>
        <translation>Nœud&#xa0;: bloc %L1, synchronisation…</translation>
    </message>
    <message>
        <source>Anchoring: nothing waiting</source>
        <translation>Ancrage&#xa0;: rien en attente</translation>
    </message>
    <message numerus="yes">
        <source>Anchoring: %n waiting</source>
        <translation>
            <numerusform>Ancrage&#xa0;: %n en attente</numerusform>
            <numerusform>Ancrage&#xa0;: %n en attente</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>uw::ui::PairingModel</name>
    <message>
        <source>This name cannot be used: %1.</source>
        <extracomment>A device&apos;s new name was refused; %1 says why (in English, from the protocol&apos;s rules).</extracomment>
        <translation>Ce nom ne peut pas être utilisé&#xa0;: %1.</translation>
    </message>
    <message>
        <source>Reading this device&apos;s member document…</source>
        <extracomment>Progress while changing the member document (renaming this device, removing another).</extracomment>
        <translation>Lecture du document du membre de cet appareil…</translation>
    </message>
    <message>
        <source>Saving version %1 on this device…</source>
        <extracomment>Progress while changing the member document: the new version is written to the profile.</extracomment>
        <translation>Enregistrement de la version %1 sur cet appareil…</translation>
    </message>
    <message>
        <source>This device holds no unlocked key of the member.</source>
        <extracomment>Removing a device is not possible: this window holds no unlocked key.</extracomment>
        <translation>Cet appareil ne détient aucune clé déverrouillée du membre.</translation>
    </message>
</context>
<context>
    <name>uw::ui::PairingScreen</name>
    <message>
        <source>Devices</source>
        <translation>Appareils</translation>
    </message>
    <message>
        <source>Add a device</source>
        <translation>Ajouter un appareil</translation>
    </message>
    <message>
        <source>Show this one-time link or QR code to the new device (in its first run, choose “Join from another device”). Then compare the fingerprints.</source>
        <translation>Montrez ce lien à usage unique ou ce code QR au nouvel appareil (à son premier lancement, choisissez « Rejoindre depuis un autre appareil »). Comparez ensuite les empreintes.</translation>
    </message>
    <message>
        <source>Create a pairing link</source>
        <translation>Créer un lien d’appairage</translation>
    </message>
    <message>
        <source>Pairing link</source>
        <translation>Lien d’appairage</translation>
    </message>
    <message>
        <source>Same fingerprint: add this device</source>
        <translation>Même empreinte : ajouter cet appareil</translation>
    </message>
    <message>
        <source>Different: refuse</source>
        <translation>Différente : refuser</translation>
    </message>
    <message numerus="yes">
        <source>%n device(s) must sign each login.</source>
        <extracomment>The member&apos;s rule: how many of its devices must sign a login.</extracomment>
        <translation>
            <numerusform>%n appareil doit signer chaque connexion.</numerusform>
            <numerusform>%n appareils doivent signer chaque connexion.</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the new device…</source>
        <translation>En attente du nouvel appareil…</translation>
    </message>
    <message>
        <source>A device answered with the fingerprint &lt;b&gt;%1&lt;/b&gt;. Does the new device show the same?</source>
        <extracomment>%1 is the fingerprint of the new device&apos;s key, as XXXX-XXXX-XXXX-XXXX.</extracomment>
        <translation>Un appareil a répondu avec l’empreinte &lt;b&gt;%1&lt;/b&gt;. Le nouvel appareil affiche-t-il la même ?</translation>
    </message>
    <message>
        <source>Name of this device:</source>
        <extracomment>Label of the field holding this device&apos;s name, as the member&apos;s other devices show it.</extracomment>
        <translation>Nom de cet appareil&#xa0;:</translation>
    </message>
    <message>
        <source>laptop, phone…</source>
        <extracomment>Placeholder of this device&apos;s name field.</extracomment>
        <translation>portable, téléphone…</translation>
    </message>
    <message>
        <source>Name of this device</source>
        <translation>Nom de cet appareil</translation>
    </message>
    <message>
        <source>Rename</source>
        <extracomment>Button: publish this device&apos;s new name (a new signed version of the member document).</extracomment>
        <translation>Renommer</translation>
    </message>
    <message>
        <source>This device is now “%1” (member document version %2, published).</source>
        <extracomment>This device was renamed; %1 its new name, %2 the member document&apos;s new version number.</extracomment>
        <translation>Cet appareil s’appelle désormais «&#xa0;%1&#xa0;» (version %2 du document du membre, publiée).</translation>
    </message>
    <message>
        <source>Renaming failed: %1</source>
        <translation>Échec du renommage&#xa0;: %1</translation>
    </message>
    <message>
        <source>This name cannot be used: %1.</source>
        <extracomment>A device&apos;s new name was refused before anything was sent; %1 says why.</extracomment>
        <translation>Ce nom ne peut pas être utilisé&#xa0;: %1.</translation>
    </message>
    <message>
        <source>Renaming…</source>
        <extracomment>Shown at once when Rename is clicked, before the first progress message.</extracomment>
        <translation>Renommage…</translation>
    </message>
    <message>
        <source>Devices of this member</source>
        <extracomment>Accessible name of the table of the member&apos;s devices.</extracomment>
        <translation>Appareils de ce membre</translation>
    </message>
    <message>
        <source>Remove device…</source>
        <extracomment>Button: remove the device selected in the list from the member (asks to confirm first).</extracomment>
        <translation>Retirer l’appareil…</translation>
    </message>
    <message>
        <source>“%1” was removed (member document version %2, published).</source>
        <extracomment>A device was removed; %1 its name, %2 the member document&apos;s new version number.</extracomment>
        <translation>« %1&#xa0;» a été retiré (version %2 du document du membre, publiée).</translation>
    </message>
    <message>
        <source>Not removed: %1</source>
        <translation>Non retiré&#xa0;: %1</translation>
    </message>
    <message>
        <source>Select another device in the list first.</source>
        <translation>Sélectionnez d’abord un autre appareil dans la liste.</translation>
    </message>
    <message>
        <source>Remove a device</source>
        <extracomment>Title of the box that confirms the removal of a device.</extracomment>
        <translation>Retirer un appareil</translation>
    </message>
    <message>
        <source>Remove “%1” (key fingerprint %2) from this member?</source>
        <extracomment>%1 the device&apos;s name, %2 its key&apos;s fingerprint (XXXX-XXXX-XXXX-XXXX).</extracomment>
        <translation>Retirer « %1&#xa0;» (empreinte de clé %2) de ce membre&#xa0;?</translation>
    </message>
    <message>
        <source>Its signatures will no longer count for the member once the new version of the member document is published. To use that device again, pair it anew.</source>
        <translation>Ses signatures ne compteront plus pour le membre une fois la nouvelle version du document du membre publiée. Pour utiliser à nouveau cet appareil, appairez-le de nouveau.</translation>
    </message>
    <message>
        <source>Remove</source>
        <extracomment>The confirmation&apos;s destructive button.</extracomment>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Removing…</source>
        <extracomment>Shown at once when a removal is confirmed, before the first progress message.</extracomment>
        <translation>Retrait…</translation>
    </message>
</context>
<context>
    <name>uw::ui::QrCodeWidget</name>
    <message>
        <source>QR code</source>
        <extracomment>Accessible name of a QR code picture; a screen reader reads the link it holds as its description.</extracomment>
        <translation>Code QR</translation>
    </message>
</context>
<context>
    <name>uw::ui::QrDecoder</name>
    <message>
        <source>The image could not be read.</source>
        <translation>L’image n’a pas pu être lue.</translation>
    </message>
    <message>
        <source>No QR code was found in the image.</source>
        <translation>Aucun code QR n’a été trouvé dans l’image.</translation>
    </message>
</context>
<context>
    <name>uw::ui::RelayListModel</name>
    <message>
        <source>Relay</source>
        <extracomment>Column title: a relay&apos;s address (wss://...).</extracomment>
        <translation>Relais</translation>
    </message>
    <message>
        <source>State</source>
        <extracomment>Column title: whether this device is connected to the relay.</extracomment>
        <translation>État</translation>
    </message>
    <message>
        <source>Details</source>
        <extracomment>Column title: the last error of a relay that is not connected.</extracomment>
        <translation>Détails</translation>
    </message>
</context>
<context>
    <name>uw::ui::RelayRuntime</name>
    <message>
        <source>connected</source>
        <extracomment>A relay&apos;s state: this device is connected to it.</extracomment>
        <translation>connecté</translation>
    </message>
    <message>
        <source>connecting…</source>
        <extracomment>A relay&apos;s state: the connection is being opened.</extracomment>
        <translation>connexion…</translation>
    </message>
    <message>
        <source>unreachable, retrying</source>
        <extracomment>A relay&apos;s state: the last attempt failed; another follows after a pause.</extracomment>
        <translation>injoignable, nouvel essai</translation>
    </message>
    <message>
        <source>disconnected</source>
        <extracomment>A relay&apos;s state: not connected, and no attempt is planned.</extracomment>
        <translation>déconnecté</translation>
    </message>
</context>
<context>
    <name>uw::ui::ReviewWindow</name>
    <message>
        <source>UserWallet — a login asks this device</source>
        <extracomment>Title of the window that asks this device to sign a login started on another device.</extracomment>
        <translation>UserWallet — une connexion sollicite cet appareil</translation>
    </message>
    <message>
        <source>Other logins waiting</source>
        <extracomment>Accessible name of the list of other logins waiting for this device&apos;s answer.</extracomment>
        <translation>Autres connexions en attente</translation>
    </message>
    <message>
        <source>Later</source>
        <extracomment>Closes the review window; the login stays waiting until it expires.</extracomment>
        <translation>Plus tard</translation>
    </message>
    <message>
        <source>%1 (member %2)</source>
        <extracomment>Who started the login: %1 the device&apos;s label, %2 its member.</extracomment>
        <translation>%1 (membre %2)</translation>
    </message>
    <message>
        <source>Signed: your login to %1 can go on.</source>
        <extracomment>%1: the service the login was for.</extracomment>
        <translation>Signée&#xa0;: votre connexion à %1 peut se poursuivre.</translation>
    </message>
    <message>
        <source>Refused: nothing was signed, and the other device was told.</source>
        <translation>Refusée&#xa0;: rien n’a été signé, et l’autre appareil a été prévenu.</translation>
    </message>
    <message>
        <source>No login waits for this device.</source>
        <translation>Aucune connexion n’attend cet appareil.</translation>
    </message>
    <message>
        <source>%1 is logging in to %2 and asks this device to sign.</source>
        <extracomment>%1 the device&apos;s label that started the login, %2 the service.</extracomment>
        <translation>%1 se connecte à %2 et demande à cet appareil de signer.</translation>
    </message>
    <message>
        <source>Checking the login…</source>
        <translation>Vérification de la connexion…</translation>
    </message>
    <message>
        <source>%1 — asked by %2 — until %3</source>
        <extracomment>A waiting login: %1 service, %2 the asking device&apos;s label, %3 the time it ends.</extracomment>
        <translation>%1 — demandée par %2 — jusqu’à %3</translation>
    </message>
    <message numerus="yes">
        <source>%n other login(s) waiting</source>
        <extracomment>Above the list of other logins waiting for an answer, after the one on screen.</extracomment>
        <translation>
            <numerusform>%n autre connexion en attente</numerusform>
            <numerusform>%n autres connexions en attente</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>uw::ui::ServiceHealthModel</name>
    <message>
        <source>down</source>
        <extracomment>A service of the node does not answer.</extracomment>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>up, dependency down</source>
        <translation>en marche, dépendance arrêtée</translation>
    </message>
    <message>
        <source>up</source>
        <translation>en marche</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <extracomment>The milliseconds a service took to answer.</extracomment>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Service</source>
        <extracomment>Column title: the name of a service of the node.</extracomment>
        <translation>Service</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <extracomment>Column title: the URL where a service is checked.</extracomment>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>State</source>
        <extracomment>Column title: whether a service answers.</extracomment>
        <translation>État</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latence</translation>
    </message>
    <message>
        <source>Last check</source>
        <extracomment>Column title: the time of the last check of a service.</extracomment>
        <translation>Vérifié à</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
</context>
<context>
    <name>uw::ui::SettingsScreen</name>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Relays</source>
        <translation>Relais</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Bitcoin node</source>
        <translation>Nœud Bitcoin</translation>
    </message>
    <message>
        <source>Bitcoin Core RPC URL:</source>
        <translation>URL RPC de Bitcoin Core :</translation>
    </message>
    <message>
        <source>RPC cookie file:</source>
        <extracomment>Form label: the file Bitcoin Core writes with its RPC credentials (.cookie).</extracomment>
        <translation>Fichier cookie RPC :</translation>
    </message>
    <message>
        <source>or Esplora API URL:</source>
        <translation>ou URL de l’API Esplora :</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source> s</source>
        <extracomment>Unit after a number of seconds in a spin box (keep the leading space).</extracomment>
        <translation> s</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Wait for the other devices:</source>
        <extracomment>Form label: how long a login waits for the other devices&apos; signatures.</extracomment>
        <translation>Attente des autres appareils :</translation>
    </message>
    <message>
        <source>Language (applies at the next start):</source>
        <translation>Langue (au prochain démarrage) :</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Keep at least one relay.</source>
        <translation>Gardez au moins un relais.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <extracomment>The settings reached the profile&apos;s settings file.</extracomment>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <extracomment>The settings are being written to the profile&apos;s settings file.</extracomment>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <source>The settings were not saved: %1</source>
        <translation>Les paramètres n’ont pas été enregistrés : %1</translation>
    </message>
    <message>
        <source>This device refuses to sign a login that would stay valid longer than this.</source>
        <extracomment>Tooltip of the longest validity a co-signed login may have.</extracomment>
        <translation>Cet appareil refuse de signer une connexion qui resterait valable plus longtemps.</translation>
    </message>
    <message>
        <source>Sign logins valid for at most:</source>
        <extracomment>Form label: this device signs another device&apos;s login only if it expires within this many seconds.</extracomment>
        <translation>Signer les connexions valables au plus :</translation>
    </message>
    <message>
        <source>http://127.0.0.1:38332 (or http://user:password@host:port)</source>
        <extracomment>Placeholder of the Bitcoin Core RPC URL field: user and password may be written in the URL.</extracomment>
        <translation>http://127.0.0.1:38332 (ou http://utilisateur:mot-de-passe@hôte:port)</translation>
    </message>
    <message>
        <source>the node&apos;s .cookie file, when the URL holds no password</source>
        <extracomment>Placeholder of the cookie file field.</extracomment>
        <translation>le fichier .cookie du nœud, si l’URL ne contient pas de mot de passe</translation>
    </message>
    <message>
        <source>Test connection</source>
        <extracomment>Button: one real call to the node typed above, to check that it answers.</extracomment>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <source>Asking the node…</source>
        <extracomment>While the node is asked for its chain and height.</extracomment>
        <translation>Interrogation du nœud…</translation>
    </message>
    <message>
        <source>Known services</source>
        <extracomment>Settings group: the services the login screen offers by name.</extracomment>
        <translation>Services connus</translation>
    </message>
    <message>
        <source>Name</source>
        <extracomment>Column of the known services table: the name the login screen lists.</extracomment>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Login request, or service and callback</source>
        <extracomment>Column of the known services table: the request&apos;s address, or the service id and the callback.</extracomment>
        <translation>Demande de connexion, ou service et adresse de retour</translation>
    </message>
    <message>
        <source>Name:</source>
        <extracomment>Form label of a known service: the name the login screen lists.</extracomment>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <source>Login request URL:</source>
        <extracomment>Form label: the address of the service&apos;s login request (it says which members sign).</extracomment>
        <translation>URL de la demande de connexion&#xa0;:</translation>
    </message>
    <message>
        <source>or service id:</source>
        <extracomment>Form label: instead of a request, the service&apos;s id (this device&apos;s member alone signs).</extracomment>
        <translation>ou identifiant du service&#xa0;:</translation>
    </message>
    <message>
        <source>and callback:</source>
        <extracomment>Form label: with the service id, the URL that receives the proof.</extracomment>
        <translation>et adresse de retour&#xa0;:</translation>
    </message>
    <message>
        <source>Add service</source>
        <extracomment>Button: adds the known service typed in the form.</extracomment>
        <translation>Ajouter le service</translation>
    </message>
    <message>
        <source>Update</source>
        <extracomment>Button: replaces the selected known service with the form&apos;s.</extracomment>
        <translation>Mettre à jour</translation>
    </message>
    <message>
        <source>Remove service</source>
        <extracomment>Button: removes the selected known service.</extracomment>
        <translation>Retirer le service</translation>
    </message>
    <message>
        <source>Not saved yet: click Save.</source>
        <extracomment>After a change of the known services: they reach the file with Save.</extracomment>
        <translation>Pas encore enregistré&#xa0;: cliquez sur Enregistrer.</translation>
    </message>
    <message>
        <source>Select the service to update in the table.</source>
        <translation>Sélectionnez dans le tableau le service à mettre à jour.</translation>
    </message>
    <message>
        <source>Relays in use</source>
        <extracomment>Accessible name of the list of relay addresses this profile uses.</extracomment>
        <translation>Relais utilisés</translation>
    </message>
    <message>
        <source>New relay address</source>
        <extracomment>Accessible name of the field where a relay&apos;s address is typed before Add.</extracomment>
        <translation>Adresse du nouveau relais</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Sauvegarde</translation>
    </message>
    <message>
        <source>One encrypted file with this profile&apos;s identity, keys, settings and history. Keep it away from this computer; its passphrase protects it.</source>
        <translation>Un seul fichier chiffré, qui contient l’identité, les clés, les paramètres et l’historique de ce profil. Conservez-le ailleurs que sur cet ordinateur&#xa0;; sa phrase secrète le protège.</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>Fichier de sauvegarde</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Choose where to write the backup</source>
        <extracomment>Accessible name of the button that picks where the backup file is written.</extracomment>
        <translation>Choisir où écrire la sauvegarde</translation>
    </message>
    <message>
        <source>Export a backup</source>
        <translation>Exporter une sauvegarde</translation>
    </message>
    <message>
        <source>Backup status</source>
        <translation>État de la sauvegarde</translation>
    </message>
    <message>
        <source>Backup file:</source>
        <translation>Fichier de sauvegarde&#xa0;:</translation>
    </message>
    <message>
        <source>Passphrase of the backup:</source>
        <translation>Phrase secrète de la sauvegarde&#xa0;:</translation>
    </message>
    <message>
        <source>Repeat the passphrase:</source>
        <translation>Répétez la phrase secrète&#xa0;:</translation>
    </message>
    <message>
        <source>UserWallet backups (*.uwbackup);;All files (*)</source>
        <translation>Sauvegardes UserWallet (*.uwbackup);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Choose where to write the backup.</source>
        <translation>Choisissez où écrire la sauvegarde.</translation>
    </message>
    <message>
        <source>The passphrase must have at least 8 characters.</source>
        <translation>La phrase secrète doit compter au moins 8 caractères.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Les deux phrases secrètes diffèrent.</translation>
    </message>
    <message>
        <source>Writing the backup…</source>
        <translation>Écriture de la sauvegarde…</translation>
    </message>
    <message numerus="yes">
        <source>Backup written to %1 (%n file(s)), read back and checked.</source>
        <extracomment>%1 is the backup file, %n the number of files of the profile it holds.</extracomment>
        <translation>
            <numerusform>Sauvegarde écrite dans %1 (%n fichier), relue et vérifiée.</numerusform>
            <numerusform>Sauvegarde écrite dans %1 (%n fichiers), relue et vérifiée.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>uw::ui::SignScreen</name>
    <message>
        <source>Sign for another device</source>
        <translation>Signer pour un autre appareil</translation>
    </message>
    <message>
        <source>Paste the link shown by the device that is logging in, or open an image of its QR code.</source>
        <translation>Collez le lien affiché par l’appareil qui se connecte, ou ouvrez une image de son code QR.</translation>
    </message>
    <message>
        <source>Signing link</source>
        <translation>Lien de signature</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <source>Open a QR image…</source>
        <translation>Ouvrir une image QR…</translation>
    </message>
    <message>
        <source>Looking for the login on the relays…</source>
        <translation>Recherche de la connexion sur les relais…</translation>
    </message>
    <message>
        <source>QR code image</source>
        <translation>Image du code QR</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp)</translation>
    </message>
    <message>
        <source>Reading the QR code…</source>
        <translation>Lecture du code QR…</translation>
    </message>
</context>
<context>
    <name>uw::ui::SigningPanel</name>
    <message>
        <source>You are asked to sign</source>
        <translation>On vous demande de signer</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Service&#xa0;:</translation>
    </message>
    <message>
        <source>Proof goes to:</source>
        <extracomment>Form label: the host (server name) that will receive the proof of this login, shown large.</extracomment>
        <translation>La preuve part vers&#xa0;:</translation>
    </message>
    <message>
        <source>Full address:</source>
        <extracomment>Form label: the whole URL that will receive the proof of this login.</extracomment>
        <translation>Adresse complète&#xa0;:</translation>
    </message>
    <message>
        <source>Asked by:</source>
        <extracomment>Form label: the device (its label) and member that started this login.</extracomment>
        <translation>Demandée par&#xa0;:</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Créée&#xa0;:</translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation>Expire&#xa0;:</translation>
    </message>
    <message>
        <source>Members:</source>
        <extracomment>Form label: the members whose devices must sign this login.</extracomment>
        <translation>Membres&#xa0;:</translation>
    </message>
    <message>
        <source>Number shown on the other device</source>
        <extracomment>Accessible name of the field where the person types the two-digit number shown by device 1.</extracomment>
        <translation>Nombre affiché sur l’autre appareil</translation>
    </message>
    <message>
        <source>Number shown there:</source>
        <extracomment>Form label: the two-digit number shown by the device that is logging in.</extracomment>
        <translation>Nombre affiché là-bas&#xa0;:</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <source>Signing and publishing…</source>
        <translation>Signature et publication…</translation>
    </message>
    <message>
        <source>Telling the other device that you refused…</source>
        <translation>Envoi de votre refus à l’autre appareil…</translation>
    </message>
    <message>
        <source>Refused: nothing was signed, and the other device was told.</source>
        <translation>Refusée&#xa0;: rien n’a été signé, et l’autre appareil a été prévenu.</translation>
    </message>
    <message>
        <source>Signature published</source>
        <translation>Signature publiée</translation>
    </message>
    <message>
        <source>Sign only if you are logging in to %1 right now, on your other device: type the number it shows.</source>
        <extracomment>%1 is the host that receives the proof (e.g. service.example).</extracomment>
        <translation>Ne signez que si vous vous connectez à %1 en ce moment, sur votre autre appareil&#xa0;: saisissez le nombre qu’il affiche.</translation>
    </message>
</context>
<context>
    <name>uw::ui::UtxoStateModel</name>
    <message>
        <source>Unspent</source>
        <extracomment>UTXOs of the anchoring wallet that can pay for an anchor.</extracomment>
        <translation>Non dépensés</translation>
    </message>
    <message>
        <source>Locked</source>
        <extracomment>UTXOs of the anchoring wallet reserved by an anchor being built.</extracomment>
        <translation>Verrouillés</translation>
    </message>
    <message>
        <source>Spent, unconfirmed</source>
        <extracomment>UTXOs spent by a transaction that is not in a block yet.</extracomment>
        <translation>Dépensés, non confirmés</translation>
    </message>
    <message>
        <source>Spent</source>
        <extracomment>UTXOs spent by a transaction in a block.</extracomment>
        <translation>Dépensés</translation>
    </message>
    <message>
        <source>UTXOs</source>
        <extracomment>Column title: the state of the anchoring wallet&apos;s UTXOs (unspent, locked...).</extracomment>
        <translation>UTXO</translation>
    </message>
    <message>
        <source>Count</source>
        <extracomment>Column title: how many UTXOs are in this state.</extracomment>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Value (BTC)</source>
        <extracomment>Column title: the value of the UTXOs in this state, in bitcoins.</extracomment>
        <translation>Valeur (BTC)</translation>
    </message>
</context>
<context>
    <name>uw::ui::WelcomeScreen</name>
    <message>
        <source>Welcome to UserWallet</source>
        <translation>Bienvenue dans UserWallet</translation>
    </message>
    <message>
        <source>This device holds an identity. Unlock it with its passphrase.</source>
        <translation>Cet appareil contient une identité. Déverrouillez-la avec sa phrase secrète.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <source>Join from another device</source>
        <extracomment>Tab of the welcome screen: add this device to a member that exists on another device.</extracomment>
        <translation>Rejoindre depuis un autre appareil</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>e.g. alice</source>
        <translation>p. ex. alice</translation>
    </message>
    <message>
        <source>How many of your devices must sign each login (cardinalite_minimale).</source>
        <translation>Combien de vos appareils doivent signer chaque connexion (cardinalite_minimale).</translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation>Force de la phrase secrète</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Créer</translation>
    </message>
    <message>
        <source>Member id:</source>
        <extracomment>Form label: the member&apos;s identifier, the same on all of the member&apos;s devices.</extracomment>
        <translation>Identifiant du membre :</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Nom affiché :</translation>
    </message>
    <message>
        <source>Devices required to log in:</source>
        <extracomment>Form label: how many of the member&apos;s devices must sign each login.</extracomment>
        <translation>Appareils requis pour se connecter :</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Phrase secrète :</translation>
    </message>
    <message>
        <source>Repeat the passphrase:</source>
        <translation>Répétez la phrase secrète :</translation>
    </message>
    <message>
        <source>Enter a member id.</source>
        <translation>Saisissez un identifiant de membre.</translation>
    </message>
    <message>
        <source>The passphrase must have at least 8 characters.</source>
        <translation>La phrase secrète doit compter au moins 8 caractères.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Les deux phrases secrètes diffèrent.</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Rejoindre</translation>
    </message>
    <message>
        <source>Pairing link:</source>
        <translation>Lien d’appairage :</translation>
    </message>
    <message>
        <source>Passphrase for this device:</source>
        <translation>Phrase secrète de cet appareil :</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vide</translation>
    </message>
    <message>
        <source>weak</source>
        <translation>faible</translation>
    </message>
    <message>
        <source>fair</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <source>good</source>
        <translation>bonne</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>forte</translation>
    </message>
    <message>
        <source>This device&apos;s fingerprint: &lt;b&gt;%1&lt;/b&gt; — check that the other device shows the same, and confirm there.</source>
        <extracomment>%1 is the fingerprint of this device&apos;s new key, as XXXX-XXXX-XXXX-XXXX.</extracomment>
        <translation>Empreinte de cet appareil : &lt;b&gt;%1&lt;/b&gt; — vérifiez que l’autre appareil affiche la même, et confirmez là-bas.</translation>
    </message>
    <message>
        <source>Strength:</source>
        <translation>Force :</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Choose the backup file</source>
        <extracomment>Accessible name of the button that picks the backup file to restore.</extracomment>
        <translation>Choisir le fichier de sauvegarde</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restaurer</translation>
    </message>
    <message>
        <source>A backup made on this or another computer (Settings, Export a backup). The restored keys keep the passphrase they had.</source>
        <translation>Une sauvegarde faite sur cet ordinateur ou sur un autre (Paramètres, Exporter une sauvegarde). Les clés restaurées gardent la phrase secrète qu’elles avaient.</translation>
    </message>
    <message>
        <source>Backup file:</source>
        <extracomment>Form label: the encrypted backup file of a profile.</extracomment>
        <translation>Fichier de sauvegarde&#xa0;:</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>Fichier de sauvegarde</translation>
    </message>
    <message>
        <source>Passphrase of the backup:</source>
        <translation>Phrase secrète de la sauvegarde&#xa0;:</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <extracomment>Tab of the welcome screen: make this profile from an encrypted backup file.</extracomment>
        <translation>Restaurer depuis une sauvegarde</translation>
    </message>
    <message>
        <source>UserWallet backups (*.uwbackup);;All files (*)</source>
        <translation>Sauvegardes UserWallet (*.uwbackup);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Choose the backup file.</source>
        <translation>Choisissez le fichier de sauvegarde.</translation>
    </message>
    <message>
        <source>Enter the passphrase of the backup.</source>
        <translation>Saisissez la phrase secrète de la sauvegarde.</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>Restauration de la sauvegarde…</translation>
    </message>
    <message>
        <source>The backup is restored. Unlock it with the passphrase of its keys.</source>
        <translation>La sauvegarde est restaurée. Déverrouillez le profil avec la phrase secrète de ses clés.</translation>
    </message>
    <message>
        <source>A member is you as services know you: a person or an organisation, holding one or more devices. A device is this computer&apos;s keys, which sign for the member.</source>
        <translation>Un membre, c’est vous tel que les services vous connaissent&#xa0;: une personne ou une organisation, qui détient un ou plusieurs appareils. Un appareil, ce sont les clés de cet ordinateur, qui signent pour le membre.</translation>
    </message>
    <message>
        <source>Start in one of three ways:</source>
        <extracomment>The first run: above the three tabs (create, join, restore).</extracomment>
        <translation>Commencez de l’une de ces trois façons&#xa0;:</translation>
    </message>
    <message>
        <source>Create a new member</source>
        <extracomment>Tab of the welcome screen: a new member, whose first device this is.</extracomment>
        <translation>Créer un nouveau membre</translation>
    </message>
    <message>
        <source>For your first device: this makes the member and this device&apos;s keys.</source>
        <translation>Pour votre premier appareil&#xa0;: cela crée le membre et les clés de cet appareil.</translation>
    </message>
    <message>
        <source>The member has a device already: there, on the Devices page, create a pairing link, then paste it here.</source>
        <translation>Le membre a déjà un appareil&#xa0;: sur celui-ci, page Appareils, créez un lien d’appairage, puis collez-le ici.</translation>
    </message>
</context>
</TS>
