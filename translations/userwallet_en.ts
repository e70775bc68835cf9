<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>QObject</name>
    <message>
        <source>This profile already holds an identity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UserWallet cannot start</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::AnchorRuntime</name>
    <message>
        <source>No Bitcoin backend configured: set BITCOIN_RPC_URL (and BITCOIN_RPC_COOKIE) or MEMPOOL_API_URL.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::AnchorService</name>
    <message>
        <source>No spendable UTXO: fund the wallet or wait for confirmations.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::CoSigner</name>
    <message>
        <source>The login was not found on any relay (is device 1 still waiting?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No relay accepted the signature (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message&apos;s nonce is not the one in the link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This login expired at %1; nothing was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This login does not ask member &quot;%1&quot; to sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device is not one of member &quot;%1&quot;&apos;s devices in this login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This login expired while it was on screen; nothing was signed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::LoginFlow</name>
    <message>
        <source>Timed out after %1 s waiting for the other devices&apos; signatures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer to the confirmation in time; nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No relay accepted the login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You refused the other device&apos;s signature; nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::PairingJoin</name>
    <message>
        <source>Device 1 did not confirm the pairing in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The member document does not authorize this device.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::PairingOffer</name>
    <message>
        <source>No device answered the pairing link in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No relay accepted the pairing answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairing refused; the member was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device holds no authorized key of member &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::RelayConnection</name>
    <message>
        <source>connection closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dropped: too many invalid frames</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::RelayLoginTransport</name>
    <message>
        <source>No local key to sign the login events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot build the signature event of pair %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No relay accepted the login events (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::RelayPool</name>
    <message>
        <source>unreachable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer in time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::AboutScreen</name>
    <message>
        <source>&lt;h2&gt;UserWallet %1&lt;/h2&gt;&lt;p&gt;Log in to services with signatures from several of your devices, co-sign from a second device, and anchor document hashes on Bitcoin.&lt;/p&gt;&lt;p&gt;Your secret keys never leave this device and are stored encrypted. Every relay is untrusted: every signature is verified here.&lt;/p&gt;&lt;p&gt;Built with Qt %2, libsecp256k1, libsodium, libqrencode and ZXing-C++.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::HistoryScreen</name>
    <message>
        <source>History of logins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>success</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::LoginScreen</name>
    <message>
        <source>Log in to a service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a service…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Known services:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Callback:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the other devices&apos; signatures…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing link for the other device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signatures received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm the other device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The words may have been visible on the screen and intercepted. Confirm that it was you who approved on the other device?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not while a confirmation is pending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — another device (%2…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — this device (%2…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the login…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing with this device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publishing to the relays…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collecting signatures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proof assembled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying the proof…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the login…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending the proof to the service…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left: %1:%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are logged in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The login did not go through.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service received and accepted the proof (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::MainWindow</name>
    <message>
        <source>UserWallet — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the key and protecting it with the passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking to join over the relays…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device joined member &quot;%1&quot;. Unlock it with the passphrase you chose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new device was added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign for another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relay %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (this device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;member %2&lt;br&gt;%n device(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>uw::ui::PairingScreen</name>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this one-time link or QR code to the new device (in its first run, choose “Join from another device”). Then compare the fingerprints.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a pairing link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairing link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same fingerprint: add this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Different: refuse</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n device(s) must sign each login.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the new device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A device answered with the fingerprint &lt;b&gt;%1&lt;/b&gt;. Does the new device show the same?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::QrCodeWidget</name>
    <message>
        <source>QR code</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::QrDecoder</name>
    <message>
        <source>The image could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No QR code was found in the image.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::RelayRuntime</name>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable, retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::SettingsScreen</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bitcoin node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bitcoin Core RPC URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RPC cookie file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or Esplora API URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for the other devices:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language (applies at the next start):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep at least one relay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::SignScreen</name>
    <message>
        <source>Sign for another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the link shown by the device that is logging in, or open an image of its QR code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a QR image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are asked to sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proof goes to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing and publishing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the login on the relays…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QR code image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the QR code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the service and the time, then sign.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>uw::ui::WelcomeScreen</name>
    <message>
        <source>Welcome to UserWallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device holds an identity. Unlock it with its passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the identity of this device, or join a member you already have on another device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join from another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. alice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many of your devices must sign each login (cardinalite_minimale).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices required to log in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a member id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase must have at least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairing link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase for this device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>strong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device&apos;s fingerprint: &lt;b&gt;%1&lt;/b&gt; — check that the other device shows the same, and confirm there.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
