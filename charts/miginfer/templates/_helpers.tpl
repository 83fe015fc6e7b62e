{{/* Chart name, shortened to the 63 characters a label value allows. */}}
{{- define "miginfer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name prefix: release-chart, or the release name alone when it already contains the chart name. */}}
{{- define "miginfer.fullname" -}}
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

{{/* Labels on every object of the chart. */}}
{{- define "miginfer.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "miginfer.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: miginfer
{{- end -}}

{{/* Labels that select the operator pods; they never change across upgrades. */}}
{{- define "miginfer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "miginfer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* The operator's ServiceAccount. */}}
{{- define "miginfer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "miginfer.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* repository:tag or repository@digest of the operator image. */}}
{{- define "miginfer.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The slice pods' default image; slice pods run on GPUs, so the default tag is the CUDA flavour. */}}
{{- define "miginfer.serverImage" -}}
{{- printf "%s:%s" .Values.inferenceServer.image.repository (default (printf "%s-cuda" .Chart.AppVersion) .Values.inferenceServer.image.tag) -}}
{{- end -}}

{{/* Namespace of the dashboard ConfigMap. */}}
{{- define "miginfer.dashboardNamespace" -}}
{{- default .Release.Namespace .Values.dashboards.namespace -}}
{{- end -}}
