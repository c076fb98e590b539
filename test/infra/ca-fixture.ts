/** A throw-away self-signed P-256 CA (no key kept) and its SPKI sha256 as `openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256` printed it. */
export const CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUQiwb6uQx0EOJ9rC+QSInLB31+RMwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa3ViZXJuZXRlczAgFw0yNjExMjkxNTAzMTJaGA8yMTI2MTEw
NTE1MDMxMlowFTETMBEGA1UEAwwKa3ViZXJuZXRlczBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABNjX0xcMc1K6POu0WLehgHZd6megjVmpdrIrxRwz7VXa3Uiz0x7N
7AwzOuOQtWPqFAqu+bQKlrQryN6nlodPwwWjUzBRMB0GA1UdDgQWBBT2zj2I3pGV
JoOAkNSzalvEq8r70zAfBgNVHSMEGDAWgBT2zj2I3pGVJoOAkNSzalvEq8r70zAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIBWpriygTyKZrC0iotRL
tpafiz0eU0W93pFTeRX+jtB5AiEA8chTqrnPS8+wDOM+XiPgLLabp5CxuFo395Hg
7rjfTtQ=
-----END CERTIFICATE-----
`;
export const CA_HASH = 'sha256:225008aaef8b0173aea41ab744cb020470ade6ee8d57e77ca0704a7f39a8c5d6';
