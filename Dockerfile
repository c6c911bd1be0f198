# Build: the same `dotnet publish` that .ci/run runs.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/BotHost -c Release -o /app

# Run: ASP.NET Core runtime only, as the image's non-root "app" user.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
# fonts-noto-core: Noto Sans Devanagari, so the /stats chart draws Hindi labels (Charts:FontPath finds it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown "$APP_UID" /data
ENV Http__Urls=http://0.0.0.0:8080 \
    Redis__EmbeddedDataDir=/data
VOLUME /data
EXPOSE 8080
USER $APP_UID
# The image has no curl: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "BotHost.dll", "--healthcheck"]
ENTRYPOINT ["dotnet", "BotHost.dll"]
