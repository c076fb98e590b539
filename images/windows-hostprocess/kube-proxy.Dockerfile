ARG BASE=mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0

FROM --platform=linux/amd64 curlimages/curl AS bins
ARG KUBERNETES_VERSION
WORKDIR /kube-proxy
RUN curl -fsSLO "https://dl.k8s.io/${KUBERNETES_VERSION}/bin/windows/amd64/kube-proxy.exe" \
 && curl -fsSLO "https://dl.k8s.io/${KUBERNETES_VERSION}/bin/windows/amd64/kube-proxy.exe.sha256" \
 && echo "$(cat kube-proxy.exe.sha256)  kube-proxy.exe" | sha256sum -c - \
 && curl -fsSLO https://raw.githubusercontent.com/microsoft/SDN/master/Kubernetes/windows/hns.psm1

FROM $BASE
COPY --from=bins /kube-proxy/kube-proxy.exe /kube-proxy/kube-proxy.exe
COPY --from=bins /kube-proxy/hns.psm1 /kube-proxy/hns.psm1
ENV PATH="C:\Windows\system32;C:\Windows;C:\WINDOWS\System32\WindowsPowerShell\v1.0\;"
ENTRYPOINT ["PowerShell"]
