# McpGate as a container (docs/deploy.md). Multi-stage: the SDK publishes, the ASP.NET Core runtime image runs.
# The runtime stage runs as the image's non-root "app" user and writes nothing to its own filesystem, so Kubernetes
# can mount it read-only (deploy/kubernetes/deployment.yaml): config, audit and key ring are volumes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# The publish step README.md documents.
RUN dotnet publish src/McpGate.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# No diagnostics IPC socket in /tmp (the root filesystem is read-only), no globalization data to look for.
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
# The image's non-root user (uid 1654), named by number so Kubernetes' runAsNonRoot can check it.
USER 1654
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/mcp.dll", "serve", "--config", "/etc/mcpgate/servers.json", "--listen", "0.0.0.0:8080", "--allow-remote", "--audit-log", "-", "--log-format", "json"]
