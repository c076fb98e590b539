ARG BASE=mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0

FROM --platform=linux/amd64 curlimages/curl AS bins
ARG FLANNEL_VERSION
ARG CNI_PLUGIN_VERSION
ARG SDNOVERLAY_VERSION
ARG PLUGINS_VERSION
WORKDIR /out
RUN curl -fsSL "https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/flannel-${FLANNEL_VERSION}-windows-amd64.tar.gz" | tar -xz flanneld.exe \
 && mkdir cni \
 && curl -fsSL "https://github.com/flannel-io/cni-plugin/releases/download/${CNI_PLUGIN_VERSION}/cni-plugin-flannel-windows-amd64-${CNI_PLUGIN_VERSION}.tgz" | tar -xz -C cni \
 && mv cni/flannel-amd64.exe cni/flannel.exe \
 && curl -fsSL -o /tmp/wcn.zip "https://github.com/microsoft/windows-container-networking/releases/download/${SDNOVERLAY_VERSION}/windows-container-networking-cni-amd64-${SDNOVERLAY_VERSION}.zip" \
 && unzip -o /tmp/wcn.zip sdnoverlay.exe -d cni \
 && curl -fsSL "https://github.com/containernetworking/plugins/releases/download/${PLUGINS_VERSION}/cni-plugins-windows-amd64-${PLUGINS_VERSION}.tgz" | tar -xz -C cni ./host-local.exe

FROM $BASE
COPY --from=bins /out/flanneld.exe /flannel/flanneld.exe
COPY --from=bins /out/cni/ /cni/
ENV PATH="C:\Windows\system32;C:\Windows;C:\WINDOWS\System32\WindowsPowerShell\v1.0\;"
ENTRYPOINT ["PowerShell"]
