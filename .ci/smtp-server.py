"""A test SMTP server on loopback for the e-mail tests (started by .ci/smtp, never by the app).

It offers STARTTLS with a self-signed certificate and refuses mail until the client has logged
in (AUTH PLAIN or LOGIN) with the one user and password it was given. Each message it accepts
is written as it arrived, one .eml file per message, into the mail folder, so a test reads the
message exactly as a customer's mail server would get it.

    python3 smtp-server.py CERT KEY USER PASSWORD MAIL_DIR READY_FILE

READY_FILE receives the port once the server listens.
"""

import asyncio
import itertools
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class KeepEachMessage:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        final = os.path.join(self.folder, f"{number:05}.eml")
        partial = final + ".part"
        with open(partial, "wb") as out:
            out.write(b"X-Test-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
            for recipient in envelope.rcpt_tos:
                out.write(b"X-Test-Envelope-To: " + recipient.encode() + b"\r\n")
            out.write(envelope.original_content)
        os.replace(partial, final)  # a reader never sees half a message
        return "250 Message accepted for delivery"


def one_login(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        good = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=good, handled=False)

    return authenticate


async def serve(cert, key, user, password, folder, ready_file):
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    handler = KeepEachMessage(folder)
    authenticator = one_login(user, password)

    def session():
        return SMTP(
            handler,
            hostname="localhost",
            tls_context=tls,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=authenticator,
        )

    server = await asyncio.get_running_loop().create_server(session, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(ready_file + ".part", "w") as out:
        out.write(str(port))
    os.replace(ready_file + ".part", ready_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(*sys.argv[1:7]))
