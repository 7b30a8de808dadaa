{{/* Name of the chart, or nameOverride. */}}
{{- define "meshplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: release and chart, or fullnameOverride. */}}
{{- define "meshplane.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "meshplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshplane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "meshplane.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "meshplane.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "meshplane.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "meshplane.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "meshplane.secretName" -}}
{{- default (include "meshplane.fullname" .) .Values.database.existingSecret -}}
{{- end -}}

{{- define "meshplane.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.database.url) -}}
{{- fail "replicaCount > 1 needs database.url: replicas share one PostgreSQL (the embedded database serves a single replica)" -}}
{{- end -}}
{{- if and .Values.database.url (not .Values.database.password) (not .Values.database.existingSecret) -}}
{{- fail "database.url is set: give database.password or database.existingSecret" -}}
{{- end -}}
{{- if not (has .Values.security.authentication (list "enabled" "disabled")) -}}
{{- fail "security.authentication must be \"enabled\" or \"disabled\"" -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.security.existingSecret) -}}
{{- fail "replicaCount > 1 needs security.existingSecret: every replica must share the key-encryption-key" -}}
{{- end -}}
{{- if not (has .Values.antiAffinity.type (list "" "soft" "hard")) -}}
{{- fail "antiAffinity.type must be \"\", \"soft\" or \"hard\"" -}}
{{- end -}}
{{- end -}}
