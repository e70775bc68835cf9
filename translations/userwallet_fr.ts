<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
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
        <source>The message's nonce is not the one in the link.</source>
        <translation>Le nonce du message n’est pas celui du lien.</translation>
    </message>
    <message>
        <source>This login expired at %1; nothing was signed.</source>
        <translation>Cette connexion a expiré à %1 ; rien n’a été signé.</translation>
    </message>
    <message>
        <source>This login does not ask member "%1" to sign.</source>
        <translation>Cette connexion ne demande pas la signature du membre « %1 ».</translation>
    </message>
    <message>
        <source>This device is not one of member "%1"'s devices in this login.</source>
        <translation>Cet appareil ne fait pas partie des appareils du membre « %1 » pour cette connexion.</translation>
    </message>
    <message>
        <source>This login expired while it was on screen; nothing was signed.</source>
        <translation>Cette connexion a expiré pendant son affichage ; rien n’a été signé.</translation>
    </message>
</context>
<context>
    <name>uw::LoginFlow</name>
    <message>
        <source>Timed out after %1 s waiting for the other devices' signatures.</source>
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
        <source>You refused the other device's signature; nothing was sent.</source>
        <translation>Vous avez refusé la signature de l’autre appareil ; rien n’a été envoyé.</translation>
    </message>
    <message>
        <source>Login cancelled.</source>
        <translation>Connexion annulée.</translation>
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
        <source>This device holds no authorized key of member "%1".</source>
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
        <translation>Exporter en JSON…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
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
        <source>Transaction</source>
        <translation>Transaction</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Confirmations</source>
        <translation>Confirmations</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>Ancrages</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latence</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Dernière vérification</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
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
        <translation>Mis à jour à %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;No Bitcoin node is configured.&lt;/b&gt;&lt;br&gt;Set it in Settings (Bitcoin Core RPC or Esplora).</source>
        <translation>&lt;b&gt;Aucun nœud Bitcoin n’est configuré.&lt;/b&gt;&lt;br&gt;Définissez-le dans les Paramètres (RPC de Bitcoin Core ou Esplora).</translation>
    </message>
    <message>
        <source>&lt;b style='color:#b00020'&gt;Unreachable&lt;/b&gt;&lt;br&gt;%1</source>
        <translation>&lt;b style='color:#b00020'&gt;Injoignable&lt;/b&gt;&lt;br&gt;%1</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>aucune pour l’instant</translation>
    </message>
    <message>
        <source>Memory %1 MB&lt;br&gt;Threads %2&lt;br&gt;Database %3 MB</source>
        <translation>Mémoire %1 Mo&lt;br&gt;Fils d’exécution %2&lt;br&gt;Base de données %3 Mo</translation>
    </message>
    <message>
        <source>No anchoring wallet in this profile.</source>
        <translation>Aucun portefeuille d’ancrage dans ce profil.</translation>
    </message>
    <message>
        <source>%1: &lt;b&gt;%2&lt;/b&gt; (%3 BTC)</source>
        <translation>%1 : &lt;b&gt;%2&lt;/b&gt; (%3 BTC)</translation>
    </message>
    <message>
        <source>Unspent</source>
        <translation>Non dépensés</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Verrouillés</translation>
    </message>
    <message>
        <source>Spent, unconfirmed</source>
        <translation>Dépensés, non confirmés</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b style='color:#b00020'&gt;%n lock(s) past their expiry&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b style='color:#b00020'&gt;%n verrou expiré&lt;/b&gt;</numerusform><numerusform>&lt;b style='color:#b00020'&gt;%n verrous expirés&lt;/b&gt;</numerusform></translation>
    </message>
    <message>
        <source>No lock past its expiry</source>
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
        <translation>File &lt;b&gt;%1&lt;/b&gt; — diffusés %2 — confirmés %3 — échoués %4</translation>
    </message>
    <message>
        <source>No anchors in this profile.</source>
        <translation>Aucun ancrage dans ce profil.</translation>
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
        <source>down</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
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
        <source>queued</source>
        <translation>en file</translation>
    </message>
    <message>
        <source>signed, not yet sent</source>
        <translation>signé, pas encore envoyé</translation>
    </message>
    <message>
        <source>in the mempool</source>
        <translation>dans la mempool</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>confirmé</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échoué</translation>
    </message>
    <message>
        <source>Chain &lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Blocks &lt;b&gt;%2&lt;/b&gt; / headers %3 — verified %4 %&lt;br&gt;Best block %5&lt;br&gt;Mempool %6 transactions, %7 bytes&lt;br&gt;Peers %8&lt;br&gt;Fee estimate (6 blocks) %9</source>
        <translation>Chaîne &lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Blocs &lt;b&gt;%2&lt;/b&gt; / en-têtes %3 — vérifiés à %4 %&lt;br&gt;Meilleur bloc %5&lt;br&gt;Mempool %6 transactions, %7 octets&lt;br&gt;Pairs %8&lt;br&gt;Estimation des frais (6 blocs) %9</translation>
    </message>
    <message>
        <source>%1 sat/vB</source>
        <translation>%1 sat/vo</translation>
    </message>
    <message>
        <source>Anchors per minute over the last hour (now on the right)</source>
        <translation>Ancrages par minute sur la dernière heure (maintenant à droite)</translation>
    </message>
</context>
<context>
    <name>uw::ui::HistoryScreen</name>
    <message>
        <source>History of logins</source>
        <translation>Historique des connexions</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>success</source>
        <translation>réussie</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>échec</translation>
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
        <translation>Choisir un service…</translation>
    </message>
    <message>
        <source>Known services:</source>
        <translation>Services connus :</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Service :</translation>
    </message>
    <message>
        <source>Callback:</source>
        <translation>Adresse de retour :</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Waiting for the other devices' signatures…</source>
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
        <translation>Les mots ont pu être visibles à l'écran et interceptés. Confirmer que c'est bien vous qui avez validé sur l'autre appareil ?</translation>
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
        <translation>Preuve assemblée</translation>
    </message>
    <message>
        <source>Verifying the proof…</source>
        <translation>Vérification de la preuve…</translation>
    </message>
    <message>
        <source>Recording the login…</source>
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
        <translation>Le service a reçu et accepté la preuve (%1).</translation>
    </message>
    <message>
        <source>Signed on another device: %1</source>
        <translation>Signé sur un autre appareil : %1</translation>
    </message>
</context>
<context>
    <name>uw::ui::MainWindow</name>
    <message>
        <source>UserWallet — %1</source>
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
        <source>This device joined member "%1". Unlock it with the passphrase you chose.</source>
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
        <translation>Relais %1 : %2</translation>
    </message>
    <message>
        <source>%1 (this device)</source>
        <translation>%1 (cet appareil)</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;member %2&lt;br&gt;%n device(s)</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;membre %2&lt;br&gt;%n appareil</numerusform><numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;membre %2&lt;br&gt;%n appareils</numerusform></translation>
    </message>
    <message>
        <source>Node dashboard</source>
        <translation>Tableau de bord du nœud</translation>
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
        <translation>
            <numerusform>%n appareil doit signer chaque connexion.</numerusform><numerusform>%n appareils doivent signer chaque connexion.</numerusform></translation>
    </message>
    <message>
        <source>Waiting for the new device…</source>
        <translation>En attente du nouvel appareil…</translation>
    </message>
    <message>
        <source>A device answered with the fingerprint &lt;b&gt;%1&lt;/b&gt;. Does the new device show the same?</source>
        <translation>Un appareil a répondu avec l’empreinte &lt;b&gt;%1&lt;/b&gt;. Le nouvel appareil affiche-t-il la même ?</translation>
    </message>
</context>
<context>
    <name>uw::ui::QrCodeWidget</name>
    <message>
        <source>QR code</source>
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
    <name>uw::ui::RelayRuntime</name>
    <message>
        <source>connected</source>
        <translation>connecté</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>connexion…</translation>
    </message>
    <message>
        <source>unreachable, retrying</source>
        <translation>injoignable, nouvel essai</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>déconnecté</translation>
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
        <translation> s</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Wait for the other devices:</source>
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
        <translation>Enregistré.</translation>
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
        <source>You are asked to sign</source>
        <translation>On vous demande de signer</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Service :</translation>
    </message>
    <message>
        <source>Proof goes to:</source>
        <translation>La preuve part vers :</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Créée :</translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation>Expire :</translation>
    </message>
    <message>
        <source>Members:</source>
        <translation>Membres :</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Signing and publishing…</source>
        <translation>Signature et publication…</translation>
    </message>
    <message>
        <source>Signature published</source>
        <translation>Signature publiée</translation>
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
    <message>
        <source>Check the service and the time, then sign.</source>
        <translation>Vérifiez le service et l’heure, puis signez.</translation>
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
        <source>Create the identity of this device, or join a member you already have on another device.</source>
        <translation>Créez l’identité de cet appareil, ou rejoignez un membre que vous avez déjà sur un autre appareil.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <source>Create an identity</source>
        <translation>Créer une identité</translation>
    </message>
    <message>
        <source>Join from another device</source>
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
        <translation>Identifiant du membre :</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>Nom affiché :</translation>
    </message>
    <message>
        <source>Devices required to log in:</source>
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
        <source>This device's fingerprint: &lt;b&gt;%1&lt;/b&gt; — check that the other device shows the same, and confirm there.</source>
        <translation>Empreinte de cet appareil : &lt;b&gt;%1&lt;/b&gt; — vérifiez que l’autre appareil affiche la même, et confirmez là-bas.</translation>
    </message>
    <message>
        <source>Strength:</source>
        <translation>Force :</translation>
    </message>
</context>
</TS>