{{/*
The Joinery sidecar container, for your own Deployment. Put a `joinery:` block in your values
(every key below is optional but the two Secrets) and, in your pod spec:

  terminationGracePeriodSeconds: {{ include "joinery-sidecar.terminationGracePeriodSeconds" . }}
  containers:
    - name: app
      ...
    {{- include "joinery-sidecar.container" . | nindent 4 }}
  volumes:
    {{- include "joinery-sidecar.volumes" . | nindent 4 }}

Secrets reach the container only through secretKeyRef: the database URL, the admin secret, the
metadata store's URL, and any variable of `secretEnv`; a secret-looking name among the plain `env`
or `otel` values fails the render.
*/}}

{{- define "joinery-sidecar.defaults" -}}
image:
  repository: joinery
  tag: "0.1.0"
  pullPolicy: IfNotPresent
graphql:
  host: 127.0.0.1            # the application in the same pod calls http://127.0.0.1:8080/v1/graphql
  port: 8080
admin:
  port: 9090                 # /health/*, /metrics, the admin API; on 0.0.0.0 for the kubelet's probes
  secret:                    # JOINERY_ADMIN_SECRET (required: Joinery refuses a non-loopback admin listener without it)
    name: ""
    key: admin-secret
database:
  url:                       # JOINERY_DATABASE_URL (required)
    name: ""
    key: database-url
metadata:
  configMap: ""              # a ConfigMap whose file is served read-only (JOINERY_METADATA); empty: the metadata store
  key: metadata.yaml
  databaseUrl:               # JOINERY_METADATA_DATABASE_URL: the fleet's store apart from the data (optional)
    name: ""
    key: metadata-database-url
jwt: {}                      # reserved: Joinery verifies no JWTs yet (sessions come from headers); set nothing here
env: {}                      # other JOINERY_* settings as plain values, e.g. JOINERY_POOL_SIZE: "8"
secretEnv: {}                # other variables from Secrets: NAME: {name: secret, key: key} (e.g. a source's from_env URL)
otel: {}                     # OTEL_* variables, e.g. OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4318
javaOpts: ""                 # JAVA_OPTS: JVM options after the image's defaults (they win), e.g. -Xmx192m with a larger memory limit
lifecycle:
  startupTimeoutSeconds: 60  # JOINERY_STARTUP_TIMEOUT_SECONDS
  shutdownDrainSeconds: 5    # JOINERY_SHUTDOWN_DRAIN_SECONDS
  shutdownGraceSeconds: 10   # JOINERY_SHUTDOWN_GRACE_SECONDS
resources:
  requests:
    cpu: 100m
    memory: 192Mi
  limits:
    memory: 256Mi
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  readOnlyRootFilesystem: true
  allowPrivilegeEscalation: false
  capabilities:
    drop: [ALL]
  seccompProfile:
    type: RuntimeDefault
probes:
  startup:                   # the JVM's start, until the listeners are up (then live while it waits for its databases)
    periodSeconds: 1
    timeoutSeconds: 3
    failureThreshold: 60
  liveness:
    periodSeconds: 10
    timeoutSeconds: 3
    failureThreshold: 3
  readiness:                 # /health/ready pings each source within 2 s
    periodSeconds: 5
    timeoutSeconds: 3
    failureThreshold: 2
nativeSidecar: false         # true: for initContainers (Kubernetes 1.29+), started before and stopped after the application
{{- end -}}

{{/* The `joinery:` values over the defaults, as YAML. */}}
{{- define "joinery-sidecar.values" -}}
{{- $defaults := include "joinery-sidecar.defaults" . | fromYaml -}}
{{- $given := deepCopy (default dict .Values.joinery) -}}
{{- toYaml (mustMergeOverwrite $defaults $given) -}}
{{- end -}}

{{- define "joinery-sidecar.validate" -}}
{{- if not .admin.secret.name -}}
{{- fail "joinery.admin.secret.name: name the Secret holding JOINERY_ADMIN_SECRET (the kubelet's probes reach the admin listener off loopback, which Joinery refuses without a secret)" -}}
{{- end -}}
{{- if not .database.url.name -}}
{{- fail "joinery.database.url.name: name the Secret holding JOINERY_DATABASE_URL (the image has no embedded database)" -}}
{{- end -}}
{{- if .jwt -}}
{{- fail "joinery.jwt: Joinery verifies no JWTs yet; leave it empty" -}}
{{- end -}}
{{- $managed := list "JOINERY_DATABASE_URL" "JOINERY_ADMIN_SECRET" "JOINERY_METADATA_DATABASE_URL" "JOINERY_METADATA" "JOINERY_GRAPHQL_HOST" "JOINERY_GRAPHQL_PORT" "JOINERY_ADMIN_HOST" "JOINERY_ADMIN_PORT" "JOINERY_STARTUP_TIMEOUT_SECONDS" "JOINERY_SHUTDOWN_DRAIN_SECONDS" "JOINERY_SHUTDOWN_GRACE_SECONDS" -}}
{{- range $name, $value := .env -}}
{{- if not (hasPrefix "JOINERY_" $name) -}}
{{- fail (printf "joinery.env.%s: only JOINERY_* settings here (OTEL_* under joinery.otel, secrets under joinery.secretEnv)" $name) -}}
{{- end -}}
{{- if has $name $managed -}}
{{- fail (printf "joinery.env.%s: set by the chart from its own values (see the joinery-sidecar defaults)" $name) -}}
{{- end -}}
{{- end -}}
{{- range $name, $value := merge (deepCopy .env) .otel -}}
{{- if regexMatch "(?i)(SECRET|PASSWORD|TOKEN|CREDENTIAL|_URL$|_KEY$|^OTEL_.*HEADERS$)" $name -}}
{{- fail (printf "%s may hold a secret: give it under joinery.secretEnv as {name: <Secret>, key: <key>}, not as a plain value" $name) -}}
{{- end -}}
{{- end -}}
{{- range $name, $value := .otel -}}
{{- if not (hasPrefix "OTEL_" $name) -}}
{{- fail (printf "joinery.otel.%s: only OTEL_* variables here" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "joinery-sidecar.secretRef" -}}
valueFrom:
  secretKeyRef:
    name: {{ .name | quote }}
    key: {{ .key | quote }}
{{- end -}}

{{/* The container; `include` it into your pod's containers (or initContainers with nativeSidecar: true). */}}
{{- define "joinery-sidecar.container" -}}
{{- $j := include "joinery-sidecar.values" . | fromYaml -}}
{{- include "joinery-sidecar.validate" $j -}}
- name: joinery
  image: "{{ $j.image.repository }}:{{ $j.image.tag }}"
  imagePullPolicy: {{ $j.image.pullPolicy }}
  {{- if $j.nativeSidecar }}
  restartPolicy: Always
  {{- end }}
  ports:
    - name: graphql
      containerPort: {{ $j.graphql.port }}
    - name: joinery-admin
      containerPort: {{ $j.admin.port }}
  env:
    - name: JOINERY_GRAPHQL_HOST
      value: {{ $j.graphql.host | quote }}
    - name: JOINERY_GRAPHQL_PORT
      value: {{ $j.graphql.port | quote }}
    - name: JOINERY_ADMIN_HOST
      value: "0.0.0.0"
    - name: JOINERY_ADMIN_PORT
      value: {{ $j.admin.port | quote }}
    - name: JOINERY_ADMIN_SECRET
      {{- include "joinery-sidecar.secretRef" $j.admin.secret | nindent 6 }}
    - name: JOINERY_DATABASE_URL
      {{- include "joinery-sidecar.secretRef" $j.database.url | nindent 6 }}
    {{- if $j.metadata.databaseUrl.name }}
    - name: JOINERY_METADATA_DATABASE_URL
      {{- include "joinery-sidecar.secretRef" $j.metadata.databaseUrl | nindent 6 }}
    {{- end }}
    {{- if $j.metadata.configMap }}
    - name: JOINERY_METADATA
      value: {{ printf "/etc/joinery/metadata/%s" $j.metadata.key | quote }}
    {{- end }}
    - name: JOINERY_STARTUP_TIMEOUT_SECONDS
      value: {{ $j.lifecycle.startupTimeoutSeconds | quote }}
    - name: JOINERY_SHUTDOWN_DRAIN_SECONDS
      value: {{ $j.lifecycle.shutdownDrainSeconds | quote }}
    - name: JOINERY_SHUTDOWN_GRACE_SECONDS
      value: {{ $j.lifecycle.shutdownGraceSeconds | quote }}
    {{- range $name, $value := $j.env }}
    - name: {{ $name }}
      value: {{ $value | quote }}
    {{- end }}
    {{- range $name, $value := $j.otel }}
    - name: {{ $name }}
      value: {{ $value | quote }}
    {{- end }}
    {{- range $name, $ref := $j.secretEnv }}
    - name: {{ $name }}
      {{- include "joinery-sidecar.secretRef" $ref | nindent 6 }}
    {{- end }}
    {{- if $j.javaOpts }}
    - name: JAVA_OPTS
      value: {{ $j.javaOpts | quote }}
    {{- end }}
  startupProbe:
    httpGet:
      path: /health/live
      port: joinery-admin
    {{- toYaml $j.probes.startup | nindent 4 }}
  livenessProbe:
    httpGet:
      path: /health/live
      port: joinery-admin
    {{- toYaml $j.probes.liveness | nindent 4 }}
  readinessProbe:
    httpGet:
      path: /health/ready
      port: joinery-admin
    {{- toYaml $j.probes.readiness | nindent 4 }}
  resources:
    {{- toYaml $j.resources | nindent 4 }}
  securityContext:
    {{- toYaml $j.securityContext | nindent 4 }}
  volumeMounts:
    - name: joinery-tmp
      mountPath: /tmp
    {{- if $j.metadata.configMap }}
    - name: joinery-metadata
      mountPath: /etc/joinery/metadata
      readOnly: true
    {{- end }}
{{- end -}}

{{/* The volumes the container mounts: a small /tmp (the root file system is read-only) and the metadata's ConfigMap. */}}
{{- define "joinery-sidecar.volumes" -}}
{{- $j := include "joinery-sidecar.values" . | fromYaml -}}
- name: joinery-tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if $j.metadata.configMap }}
- name: joinery-metadata
  configMap:
    name: {{ $j.metadata.configMap | quote }}
{{- end }}
{{- end -}}

{{/* Long enough for the drain, the requests in flight and closing (README "Deploy"): set it on your pod. */}}
{{- define "joinery-sidecar.terminationGracePeriodSeconds" -}}
{{- $j := include "joinery-sidecar.values" . | fromYaml -}}
{{- add $j.lifecycle.shutdownDrainSeconds $j.lifecycle.shutdownGraceSeconds 10 -}}
{{- end -}}
